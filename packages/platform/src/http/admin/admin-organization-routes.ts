import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { callerOf } from '../authentication.ts';
import { listEnvelopeSchema } from '../openapi/index.ts';
import { parseWith } from '../parse-body.ts';
import type { RouteContext } from '../route-context.ts';
import { requires } from '../route-permission.ts';
import {
  listEnvelope,
  organizationExample,
  organizationSchema,
  serializeOrganization,
} from './admin-serializers.ts';

const metadataSchema = z
  .record(z.string().max(64), z.unknown())
  .refine((value) => JSON.stringify(value).length <= 16_384, 'must serialise to at most 16 KiB');

const createOrganizationSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  metadata: metadataSchema.optional(),
  /** Omitted: the configured default plan (`organizations.default_plan`); null: no plan. */
  plan: z
    .string()
    .min(1)
    .max(64)
    .nullable()
    .optional()
    .describe(
      'The plan id; omitted: the configured default plan (`organizations.default_plan`); null: no plan.',
    ),
});

export const paginationSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe('At most this many items (1-1000).'),
  after: z.string().max(64).optional().describe('The `last_id` of the previous page: the page after it.'),
});

const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });
const organizationListSchema = listEnvelopeSchema(organizationSchema, 'OrganizationList');
const tag = 'Admin: organizations';

/** Organisation administration. Creating, listing and disabling need the platform admin key. */
export function registerAdminOrganizationRoutes(app: FastifyInstance, context: RouteContext): void {
  const organizations = context.administration.organizations;

  app.post(
    '/v1/admin/organizations',
    requires('platform:organizations', {
      operationId: 'createOrganization',
      summary: 'Create an organisation',
      tag,
      body: createOrganizationSchema,
      bodyExample: { name: 'Acme', plan: 'basic' },
      responses: {
        201: { description: 'The organisation.', schema: organizationSchema, example: organizationExample },
      },
    }),
    async (request, reply) => {
      const caller = callerOf(request);
      const body = parseWith(createOrganizationSchema, request.body);
      const organization = await organizations.create(caller, {
        name: body.name,
        ...(body.metadata ? { metadata: body.metadata } : {}),
        ...(body.plan !== undefined ? { plan: body.plan } : {}),
      });
      return reply.status(201).send(serializeOrganization(organization));
    },
  );

  app.get(
    '/v1/admin/organizations',
    requires('platform:organizations', {
      operationId: 'listOrganizations',
      summary: 'List every organisation',
      tag,
      query: paginationSchema,
      responses: {
        200: {
          description: 'A page of organisations.',
          schema: organizationListSchema,
          example: {
            object: 'list',
            data: [organizationExample],
            has_more: false,
            last_id: organizationExample.id,
          },
        },
      },
    }),
    async (request) => {
      const caller = callerOf(request);
      const query = parseWith(paginationSchema, request.query);
      const page = await organizations.list(caller, {
        limit: query.limit + 1,
        ...(query.after ? { after: query.after } : {}),
      });
      return listEnvelope(page.map(serializeOrganization), query.limit);
    },
  );

  app.get(
    '/v1/admin/organizations/:organizationId',
    requires('admin:organization', {
      operationId: 'getOrganization',
      summary: 'Get an organisation',
      tag,
      params: organizationParamsSchema,
      responses: {
        200: { description: 'The organisation.', schema: organizationSchema, example: organizationExample },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      return serializeOrganization(await organizations.get(callerOf(request), organizationId));
    },
  );

  app.delete(
    '/v1/admin/organizations/:organizationId',
    requires('platform:organizations', {
      operationId: 'disableOrganization',
      summary: 'Disable an organisation',
      description:
        'Revokes its API keys on every instance at once; its data is kept. The organisation holding the platform admin key cannot be disabled (400).',
      tag,
      params: organizationParamsSchema,
      responses: {
        200: {
          description: 'The disabled organisation.',
          schema: organizationSchema,
          example: { ...organizationExample, disabled_at: '2026-12-07T17:00:00.000Z' },
        },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      return serializeOrganization(await organizations.disable(callerOf(request), organizationId));
    },
  );
}
