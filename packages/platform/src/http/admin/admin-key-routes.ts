import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { permissions } from '../../identity/index.ts';
import { apiKeyRoles } from '../../tenancy/index.ts';
import { callerOf } from '../authentication.ts';
import { listEnvelopeSchema } from '../openapi/index.ts';
import { parseWith } from '../parse-body.ts';
import type { RouteContext } from '../route-context.ts';
import { requires } from '../route-permission.ts';
import { paginationSchema } from './admin-organization-routes.ts';
import { apiKeyExample, apiKeySchema, listEnvelope, serializeApiKey } from './admin-serializers.ts';

const createKeySchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  /** `member` is the former name of `developer`, still accepted. */
  role: z
    .enum([...apiKeyRoles, 'member'])
    .default('developer')
    .transform((role) => (role === 'member' ? 'developer' : role)),
  scopes: z.array(z.enum(permissions)).min(1).max(permissions.length).nullish(),
  team_id: z.string().min(1).max(64).nullish(),
  allowed_models: z.array(z.string().min(1).max(256)).max(1000).nullish(),
  expires_at: z.iso.datetime({ offset: true }).nullish(),
  metadata: z
    .record(z.string().max(64), z.unknown())
    .refine((value) => JSON.stringify(value).length <= 16_384, 'must serialise to at most 16 KiB')
    .optional(),
});

const rotateKeySchema = z.strictObject({
  /** How long the old secret keeps working; 0 stops it now. At most 30 days. */
  grace_period_seconds: z
    .number()
    .int()
    .min(0)
    .max(30 * 86_400)
    .default(86_400),
});

const listKeysQuerySchema = paginationSchema.extend({
  include_revoked: z.enum(['true', 'false']).default('false'),
});

const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });
const keyParamsSchema = organizationParamsSchema.extend({ keyId: z.string().min(1).max(64) });

const createdKeySchema = apiKeySchema
  .extend({ secret: z.string().describe('The secret: shown this once, store it now.') })
  .meta({ id: 'ApiKeyWithSecret' });
const rotatedKeySchema = createdKeySchema
  .extend({
    previous_secret_valid_until: z.iso
      .datetime({ offset: true })
      .describe('Until when the previous secret keeps working.'),
  })
  .meta({ id: 'RotatedApiKey' });
const keyListSchema = listEnvelopeSchema(apiKeySchema, 'ApiKeyList');
const secretExample = 'sk-kimi-Ab3dQ9v2Lm8xT5rW1zY7cN4bK6hJ0pF';
const tag = 'Admin: keys';

/** API key administration for one organisation: create (secret shown once), list, inspect, revoke. */
export function registerAdminKeyRoutes(app: FastifyInstance, context: RouteContext): void {
  const apiKeys = context.administration.apiKeys;

  app.post(
    '/v1/admin/organizations/:organizationId/keys',
    requires('admin:keys', {
      operationId: 'createApiKey',
      summary: 'Create an API key (the secret is shown once)',
      tag,
      params: organizationParamsSchema,
      body: createKeySchema,
      bodyExample: { name: 'ci', role: 'developer', allowed_models: ['sim/fast'] },
      responses: {
        201: {
          description: 'The key, with its secret.',
          schema: createdKeySchema,
          example: { ...apiKeyExample, secret: secretExample },
        },
      },
      errors: [404],
    }),
    async (request, reply) => {
      const caller = callerOf(request);
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      const body = parseWith(createKeySchema, request.body);
      const { apiKey, secret } = await apiKeys.create(caller, organizationId, {
        name: body.name,
        role: body.role,
        scopes: body.scopes ?? null,
        teamId: body.team_id ?? null,
        allowedModels: body.allowed_models ?? null,
        expiresAt: body.expires_at ? new Date(body.expires_at) : null,
        ...(body.metadata ? { metadata: body.metadata } : {}),
      });
      return reply.status(201).send({ ...serializeApiKey(apiKey), secret });
    },
  );

  app.get(
    '/v1/admin/organizations/:organizationId/keys',
    requires('admin:keys', {
      operationId: 'listApiKeys',
      summary: "List an organisation's API keys",
      tag,
      params: organizationParamsSchema,
      query: listKeysQuerySchema,
      responses: {
        200: {
          description: 'A page of keys, newest first.',
          schema: keyListSchema,
          example: { object: 'list', data: [apiKeyExample], has_more: false, last_id: apiKeyExample.id },
        },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      const caller = callerOf(request);
      const query = parseWith(listKeysQuerySchema, request.query);
      const keys = await apiKeys.list(caller, organizationId, {
        limit: query.limit + 1,
        includeRevoked: query.include_revoked === 'true',
        ...(query.after ? { after: query.after } : {}),
      });
      return listEnvelope(keys.map(serializeApiKey), query.limit);
    },
  );

  app.get(
    '/v1/admin/organizations/:organizationId/keys/:keyId',
    requires('admin:keys', {
      operationId: 'getApiKey',
      summary: 'Get an API key',
      tag,
      params: keyParamsSchema,
      responses: { 200: { description: 'The key.', schema: apiKeySchema, example: apiKeyExample } },
      errors: [404],
    }),
    async (request) => {
      const { organizationId, keyId } = parseWith(keyParamsSchema, request.params);
      return serializeApiKey(await apiKeys.get(callerOf(request), organizationId, keyId));
    },
  );

  app.delete(
    '/v1/admin/organizations/:organizationId/keys/:keyId',
    requires('admin:keys', {
      operationId: 'revokeApiKey',
      summary: 'Revoke an API key (at once, for good)',
      tag,
      params: keyParamsSchema,
      responses: {
        200: {
          description: 'The revoked key.',
          schema: apiKeySchema,
          example: { ...apiKeyExample, revoked_at: '2026-12-07T17:00:00.000Z' },
        },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId, keyId } = parseWith(keyParamsSchema, request.params);
      return serializeApiKey(await apiKeys.revoke(callerOf(request), organizationId, keyId));
    },
  );

  app.post(
    '/v1/admin/organizations/:organizationId/keys/:keyId/rotate',
    requires('admin:keys', {
      operationId: 'rotateApiKey',
      summary: 'Rotate an API key: a new secret, the old one valid for a grace period',
      tag,
      params: keyParamsSchema,
      body: rotateKeySchema,
      bodyOptional: true,
      bodyExample: { grace_period_seconds: 3600 },
      responses: {
        200: {
          description: 'The key with its new secret.',
          schema: rotatedKeySchema,
          example: {
            ...apiKeyExample,
            secret: secretExample,
            previous_secret_valid_until: '2026-12-07T17:00:00.000Z',
          },
        },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId, keyId } = parseWith(keyParamsSchema, request.params);
      const body = parseWith(rotateKeySchema, request.body ?? {});
      const rotated = await apiKeys.rotate(
        callerOf(request),
        organizationId,
        keyId,
        body.grace_period_seconds,
      );
      return {
        ...serializeApiKey(rotated.apiKey),
        secret: rotated.secret,
        previous_secret_valid_until: rotated.previousSecretValidUntil.toISOString(),
      };
    },
  );
}
