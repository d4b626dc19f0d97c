import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ToolServices } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';
import {
  createdHttpToolSchema,
  deletedSchema,
  httpToolExample,
  httpToolSchema,
  serializeHttpTool,
  serializeToolListing,
  toolListingExample,
  toolListingSchema,
} from './agent-tool-serializers.ts';

const tag = 'Tools';

const toolListSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(toolListingSchema),
    errors: z
      .array(z.object({ server: z.string(), message: z.string() }))
      .describe(
        'MCP servers whose tools could not be listed, and why (their tools are missing from `data`).',
      ),
  })
  .meta({ id: 'ToolList' });
const toolDetailSchema = z.union([httpToolSchema, toolListingSchema]).meta({
  id: 'ToolDetail',
  description: 'An HTTP tool (with its id and URL), or a built-in or MCP tool as listed.',
});
const toolDeletedSchema = deletedSchema('tool.deleted', 'ToolDeleted');

/** Tool names as providers accept them, without `__` (that separates MCP servers from their tools). */
const toolNameSchema = z
  .string()
  .regex(
    /^[a-zA-Z][a-zA-Z0-9-]*(_[a-zA-Z0-9-]+)*$/,
    'must start with a letter and use letters, digits, dashes and single underscores',
  )
  .max(64);

const nameParamsSchema = z.object({
  name: z.string().min(1).max(200).describe('The tool name (MCP tools: `<server>__<tool>`).'),
});

const createToolSchema = z.strictObject({
  name: toolNameSchema,
  description: z.string().trim().min(1).max(4000),
  url: z.string().trim().min(1).max(2048),
  parameters: z
    .record(z.string(), z.unknown())
    .describe("A JSON Schema (type `object`) of the tool's arguments."),
  needs_approval: z.boolean().default(false),
});

/**
 * `/v1/tools`: every key lists and reads its organisation's tools (built-ins, HTTP tools, MCP
 * tools); an admin key registers and deletes the organisation's HTTP tools. The signing secret is
 * returned once, at creation.
 */
export function registerToolRoutes(app: FastifyInstance, tools: ToolServices): void {
  app.get(
    '/v1/tools',
    requires('tools:read', {
      operationId: 'listTools',
      summary: 'List the tools agents can use: built-in, HTTP and MCP',
      description: 'MCP servers are asked for their tools now; one that cannot answer is named in `errors`.',
      tag,
      responses: {
        200: {
          description: 'Every tool of the organisation.',
          schema: toolListSchema,
          example: { object: 'list', data: [toolListingExample], errors: [] },
        },
      },
    }),
    async (request): Promise<z.output<typeof toolListSchema>> => {
      const { tools: listings, problems } = await tools.list(callerOf(request));
      return {
        object: 'list',
        data: listings.map(serializeToolListing),
        errors: problems.map((problem) => ({ server: problem.server, message: problem.error })),
      };
    },
  );

  app.get(
    '/v1/tools/:name',
    requires('tools:read', {
      operationId: 'getTool',
      summary: 'Get a tool',
      tag,
      params: nameParamsSchema,
      responses: { 200: { description: 'The tool.', schema: toolDetailSchema, example: httpToolExample } },
      errors: [404],
    }),
    async (request) => {
      const { name } = parseWith(nameParamsSchema, request.params);
      const found = await tools.get(callerOf(request), name);
      return found.kind === 'http' ? serializeHttpTool(found.record) : serializeToolListing(found.listing);
    },
  );

  app.post(
    '/v1/tools',
    requires('tools:write', {
      operationId: 'createTool',
      summary: 'Register an HTTP tool (its signing secret is shown once)',
      description:
        "Agents' calls are POSTed to `url` with the arguments as JSON, signed with the secret. The URL must pass the network allowlist and may not reach private addresses.",
      tag,
      body: createToolSchema,
      bodyExample: {
        name: 'lookup_customer',
        description: 'Look a customer up by email.',
        url: 'https://tools.example.com/lookup-customer',
        parameters: { type: 'object', properties: { email: { type: 'string' } }, required: ['email'] },
      },
      responses: {
        201: {
          description: 'The tool, with its signing secret.',
          schema: createdHttpToolSchema,
          example: { ...httpToolExample, secret: 'tsec_Ab3dQ9v2Lm8xT5rW1zY7cN4bK6hJ0pFq' },
        },
      },
      errors: [409],
    }),
    async (request, reply) => {
      const body = parseWith(createToolSchema, request.body);
      const { record, secret } = await tools.create(callerOf(request), {
        name: body.name,
        description: body.description,
        url: body.url,
        parameters: body.parameters,
        needsApproval: body.needs_approval,
      });
      reply.code(201);
      return { ...serializeHttpTool(record), secret };
    },
  );

  app.delete(
    '/v1/tools/:name',
    requires('tools:write', {
      operationId: 'deleteTool',
      summary: 'Delete an HTTP tool',
      tag,
      params: nameParamsSchema,
      responses: {
        200: {
          description: 'Deleted.',
          schema: toolDeletedSchema,
          example: { object: 'tool.deleted', name: 'lookup_customer', deleted: true },
        },
      },
      errors: [404],
    }),
    async (request): Promise<z.output<typeof toolDeletedSchema>> => {
      const { name } = parseWith(nameParamsSchema, request.params);
      await tools.delete(callerOf(request), name);
      return { object: 'tool.deleted', name, deleted: true };
    },
  );
}
