import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { errors } from '../../errors/index.ts';
import {
  createOrganization,
  disableOrganization,
  findOrganization,
  listOrganizations,
} from '../../tenancy/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { requireOrganizationAdministrator, requirePlatformAdministrator } from './admin-access.ts';
import { listEnvelope, serializeOrganization } from './admin-serializers.ts';
import type { RouteContext } from './route-context.ts';

const metadataSchema = z
  .record(z.string().max(64), z.unknown())
  .refine((value) => JSON.stringify(value).length <= 16_384, 'must serialise to at most 16 KiB');

const createOrganizationSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  metadata: metadataSchema.optional(),
});

export const paginationSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  after: z.string().max(64).optional(),
});

const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });

/** Organisation administration. Creating, listing and disabling need the platform admin key. */
export function registerAdminOrganizationRoutes(app: FastifyInstance, context: RouteContext): void {
  app.post('/v1/admin/organizations', async (request, reply) => {
    requirePlatformAdministrator(callerOf(request), 'create organizations');
    const body = parseWith(createOrganizationSchema, request.body);
    const organization = await createOrganization(context.database, {
      name: body.name,
      ...(body.metadata ? { metadata: body.metadata } : {}),
    });
    return reply.status(201).send(serializeOrganization(organization));
  });

  app.get('/v1/admin/organizations', async (request) => {
    requirePlatformAdministrator(callerOf(request), 'list organizations');
    const query = parseWith(paginationSchema, request.query);
    const organizations = await listOrganizations(context.database, {
      limit: query.limit + 1,
      ...(query.after ? { after: query.after } : {}),
    });
    return listEnvelope(organizations.map(serializeOrganization), query.limit);
  });

  app.get('/v1/admin/organizations/:organizationId', async (request) => {
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    requireOrganizationAdministrator(callerOf(request), organizationId);
    const organization = await findOrganization(context.database, organizationId);
    if (!organization) throw errors.notFound(`Organization '${organizationId}'`, 'organizationId');
    return serializeOrganization(organization);
  });

  app.delete('/v1/admin/organizations/:organizationId', async (request) => {
    const caller = callerOf(request);
    requirePlatformAdministrator(caller, 'disable organizations');
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    if (organizationId === caller.organizationId) {
      throw errors.invalidRequest(
        'organizationId',
        'The platform admin cannot disable its own organization.',
        'Disable other organizations only; this one holds the platform admin key.',
      );
    }
    const outcome = await context.database.transaction((transaction) =>
      disableOrganization(transaction, organizationId),
    );
    if (!outcome) throw errors.notFound(`Organization '${organizationId}'`, 'organizationId');
    await context.authenticator.announceChange(outcome.revokedSecretHashes);
    return serializeOrganization(outcome.organization);
  });
}
