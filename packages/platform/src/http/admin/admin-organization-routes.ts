import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import type { RouteContext } from '../route-context.ts';
import { requires } from '../route-permission.ts';
import { listEnvelope, serializeOrganization } from './admin-serializers.ts';

const metadataSchema = z
  .record(z.string().max(64), z.unknown())
  .refine((value) => JSON.stringify(value).length <= 16_384, 'must serialise to at most 16 KiB');

export const createOrganizationSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  metadata: metadataSchema.optional(),
  /** Omitted: the configured default plan (`organizations.default_plan`); null: no plan. */
  plan: z.string().min(1).max(64).nullable().optional(),
});

export const paginationSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  after: z.string().max(64).optional(),
});

const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });

/** Organisation administration. Creating, listing and disabling need the platform admin key. */
export function registerAdminOrganizationRoutes(app: FastifyInstance, context: RouteContext): void {
  const organizations = context.administration.organizations;

  app.post('/v1/admin/organizations', requires('platform:organizations'), async (request, reply) => {
    const caller = callerOf(request);
    const body = parseWith(createOrganizationSchema, request.body);
    const organization = await organizations.create(caller, {
      name: body.name,
      ...(body.metadata ? { metadata: body.metadata } : {}),
      ...(body.plan !== undefined ? { plan: body.plan } : {}),
    });
    return reply.status(201).send(serializeOrganization(organization));
  });

  app.get('/v1/admin/organizations', requires('platform:organizations'), async (request) => {
    const caller = callerOf(request);
    const query = parseWith(paginationSchema, request.query);
    const page = await organizations.list(caller, {
      limit: query.limit + 1,
      ...(query.after ? { after: query.after } : {}),
    });
    return listEnvelope(page.map(serializeOrganization), query.limit);
  });

  app.get('/v1/admin/organizations/:organizationId', requires('admin:organization'), async (request) => {
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    return serializeOrganization(await organizations.get(callerOf(request), organizationId));
  });

  app.delete(
    '/v1/admin/organizations/:organizationId',
    requires('platform:organizations'),
    async (request) => {
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      return serializeOrganization(await organizations.disable(callerOf(request), organizationId));
    },
  );
}
