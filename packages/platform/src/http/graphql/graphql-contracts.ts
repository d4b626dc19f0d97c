import { z } from 'zod';
import { errorBodySchema } from '../openapi/index.ts';
import type { RouteContract } from '../route-contract.ts';
import { getQuerySchema, postBodySchema } from './graphql-request.ts';

const graphqlErrorSchema = z.object({
  message: z.string(),
  locations: z.array(z.object({ line: z.number().int(), column: z.number().int() })).optional(),
  path: z.array(z.union([z.string(), z.number().int()])).optional(),
  extensions: z
    .looseObject({
      code: z.string().describe('The stable error code, as REST answers it.'),
      type: z.string().optional(),
      hint: z.string().optional(),
      param: z.string().nullable().optional(),
      status: z.number().int().optional(),
      request_id: z.string().optional(),
    })
    .optional(),
});

/** A GraphQL response: `data`, and `errors` with our codes and hints in `extensions`. */
export const graphqlResponseSchema = z
  .object({
    data: z.record(z.string(), z.unknown()).nullable().optional(),
    errors: z.array(graphqlErrorSchema).optional(),
    extensions: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'GraphQLResponse', description: 'A GraphQL execution result.' });

const responseExample = { data: { me: { organizationId: 'org_3kTtV5xQ1mZ8rB2w', role: 'admin' } } };
const refusedExample = {
  errors: [
    {
      message: 'The query is nested 9 levels deep; at most 8 are allowed.',
      extensions: { code: 'QUERY_TOO_DEEP', hint: 'Ask for fewer nested fields.', status: 400 },
    },
  ],
};

const description =
  'The GraphQL API over the same services as REST (see docs/graphql.md): organisations, teams, people, keys, usage, budgets, plans, swarms, knowledge bases and the audit log, with mutations for the admin operations. Each field checks the permission of its REST route. Limits: 32,768 characters, 5,000 tokens, depth 8, 20 aliases, cost 5,000. Under `Accept: application/graphql-response+json` a refused document is a 400, under `application/json` a 200 with `errors`.';

const responses: RouteContract['responses'] = {
  200: {
    description: 'The result (field errors under `errors`, with REST codes in `extensions`).',
    schema: graphqlResponseSchema,
    alternativeContentTypes: ['application/graphql-response+json'],
    example: responseExample,
  },
  400: {
    description:
      'A document refused before execution (GraphQL shape under `application/graphql-response+json`), or a request that is not GraphQL at all (the error shape).',
    schema: z.union([graphqlResponseSchema, errorBodySchema]),
    example: refusedExample,
  },
};

export const graphqlPostContract: RouteContract = {
  operationId: 'postGraphQL',
  summary: 'Run a GraphQL query or mutation',
  description,
  tag: 'GraphQL',
  body: postBodySchema,
  bodyExample: { query: 'query { me { organizationId role } }' },
  responses,
};

export const graphqlGetContract: RouteContract = {
  operationId: 'getGraphQL',
  summary: 'Run a GraphQL query (GET), or open the graphql-ws WebSocket for subscriptions',
  description: `${description}\n\nWith a WebSocket upgrade (subprotocol \`graphql-transport-ws\`), subscriptions \`swarmEvents\` and \`usage\`; authenticate with the upgrade's \`Authorization\` header or \`connectionParams.authorization\`.`,
  tag: 'GraphQL',
  query: getQuerySchema,
  websocket: true,
  responses,
};
