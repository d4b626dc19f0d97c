import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { errors } from '../../errors/index.ts';
import {
  apiKeyRoles,
  createApiKey,
  findApiKey,
  findOrganization,
  listApiKeys,
  revokeApiKey,
} from '../../tenancy/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { requireOrganizationAdministrator } from './admin-access.ts';
import { paginationSchema } from './admin-organization-routes.ts';
import { listEnvelope, serializeApiKey } from './admin-serializers.ts';
import type { RouteContext } from './route-context.ts';

const createKeySchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  role: z.enum(apiKeyRoles).default('member'),
  allowed_models: z.array(z.string().min(1).max(256)).max(1000).nullish(),
  expires_at: z.iso.datetime({ offset: true }).nullish(),
  metadata: z
    .record(z.string().max(64), z.unknown())
    .refine((value) => JSON.stringify(value).length <= 16_384, 'must serialise to at most 16 KiB')
    .optional(),
});

const listKeysQuerySchema = paginationSchema.extend({
  include_revoked: z.enum(['true', 'false']).default('false'),
});

const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });
const keyParamsSchema = organizationParamsSchema.extend({ keyId: z.string().min(1).max(64) });

/** API key administration for one organisation: create (secret shown once), list, inspect, revoke. */
export function registerAdminKeyRoutes(app: FastifyInstance, context: RouteContext): void {
  app.post('/v1/admin/organizations/:organizationId/keys', async (request, reply) => {
    const caller = callerOf(request);
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    requireOrganizationAdministrator(caller, organizationId);
    const body = parseWith(createKeySchema, request.body);
    if (body.role === 'platform_admin' && caller.role !== 'platform_admin') {
      throw errors.forbidden(
        'create platform admin keys',
        'Only the platform admin may create platform admin keys.',
      );
    }
    const expiresAt = body.expires_at ? new Date(body.expires_at) : null;
    if (expiresAt && expiresAt.getTime() <= context.clock.now()) {
      throw errors.invalidRequest('expires_at', "'expires_at' must be in the future.");
    }
    body.allowed_models?.forEach((model, index) => {
      if (model === '*' || model.endsWith('/*')) return;
      try {
        context.catalog.resolve(model);
      } catch {
        throw errors.invalidRequest(
          `allowed_models[${index}]`,
          `The model '${model}' is not available.`,
          "Use ids or aliases from GET /v1/models, or a 'provider/*' pattern.",
        );
      }
    });
    const organization = await findOrganization(context.database, organizationId);
    if (!organization) throw errors.notFound(`Organization '${organizationId}'`, 'organizationId');
    if (organization.disabledAt) {
      throw errors.invalidRequest('organizationId', `Organization '${organizationId}' is disabled.`);
    }
    const { apiKey, secret } = await createApiKey(context.database, {
      organizationId,
      name: body.name,
      role: body.role,
      allowedModels: body.allowed_models ?? null,
      expiresAt,
      ...(body.metadata ? { metadata: body.metadata } : {}),
    });
    return reply.status(201).send({ ...serializeApiKey(apiKey), secret });
  });

  app.get('/v1/admin/organizations/:organizationId/keys', async (request) => {
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    requireOrganizationAdministrator(callerOf(request), organizationId);
    const query = parseWith(listKeysQuerySchema, request.query);
    const keys = await listApiKeys(context.database, organizationId, {
      limit: query.limit + 1,
      includeRevoked: query.include_revoked === 'true',
      ...(query.after ? { after: query.after } : {}),
    });
    return listEnvelope(keys.map(serializeApiKey), query.limit);
  });

  app.get('/v1/admin/organizations/:organizationId/keys/:keyId', async (request) => {
    const { organizationId, keyId } = parseWith(keyParamsSchema, request.params);
    requireOrganizationAdministrator(callerOf(request), organizationId);
    const apiKey = await findApiKey(context.database, organizationId, keyId);
    if (!apiKey) throw errors.notFound(`API key '${keyId}'`, 'keyId');
    return serializeApiKey(apiKey);
  });

  app.delete('/v1/admin/organizations/:organizationId/keys/:keyId', async (request) => {
    const { organizationId, keyId } = parseWith(keyParamsSchema, request.params);
    requireOrganizationAdministrator(callerOf(request), organizationId);
    const revoked = await revokeApiKey(context.database, organizationId, keyId);
    if (!revoked) throw errors.notFound(`API key '${keyId}'`, 'keyId');
    await context.authenticator.announceChange([revoked.secretHash]);
    return serializeApiKey(revoked.apiKey);
  });
}
