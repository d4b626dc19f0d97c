import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { CachePolicyChange, CacheServices } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';
import { cachePolicyExample, cachePolicySchema, serializeCachePolicy } from './cache-policy-serializers.ts';

/** A field set to a value replaces it, null inherits (from the organisation, then the config). */
const policySchema = z.strictObject({
  enabled: z.boolean().nullable().optional(),
  ttl_seconds: z
    .number()
    .int()
    .min(1)
    .max(30 * 86_400)
    .nullable()
    .optional(),
  cache_nonzero_temperature: z.boolean().nullable().optional(),
  semantic_enabled: z.boolean().nullable().optional(),
  similarity_threshold: z.number().min(0.5).max(1).nullable().optional(),
});

const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });
const keyParamsSchema = organizationParamsSchema.extend({ keyId: z.string().min(1).max(64) });

const tag = 'Admin: cache';
const putDescription =
  'A field set to a value replaces it, null inherits (from the organisation, then the config), an absent field keeps it. The body may be empty.';

function changeFrom(body: z.output<typeof policySchema>): CachePolicyChange {
  const change: CachePolicyChange = {};
  if (body.enabled !== undefined) change.enabled = body.enabled;
  if (body.ttl_seconds !== undefined) change.ttlSeconds = body.ttl_seconds;
  if (body.cache_nonzero_temperature !== undefined)
    change.cacheNonzeroTemperature = body.cache_nonzero_temperature;
  if (body.semantic_enabled !== undefined) change.semanticEnabled = body.semantic_enabled;
  if (body.similarity_threshold !== undefined) change.similarityThreshold = body.similarity_threshold;
  return change;
}

/** Cache policies per organisation and per key: read (stored and effective) and changed by admins. */
export function registerAdminCachePolicyRoutes(app: FastifyInstance, caching: CacheServices): void {
  const organizationPath = '/v1/admin/organizations/:organizationId/cache-policy';
  const keyPath = '/v1/admin/organizations/:organizationId/keys/:keyId/cache-policy';

  app.get(
    organizationPath,
    requires('admin:cache', {
      operationId: 'getOrganizationCachePolicy',
      summary: "Get an organisation's cache policy",
      tag,
      params: organizationParamsSchema,
      responses: {
        200: {
          description: 'The policy set and the one in force.',
          schema: cachePolicySchema,
          example: cachePolicyExample,
        },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      return serializeCachePolicy(await caching.policy(callerOf(request), organizationId, null));
    },
  );

  app.put(
    organizationPath,
    requires('admin:cache', {
      operationId: 'setOrganizationCachePolicy',
      summary: "Change an organisation's cache policy",
      description: putDescription,
      tag,
      params: organizationParamsSchema,
      body: policySchema,
      bodyOptional: true,
      bodyExample: { enabled: true, ttl_seconds: 3600 },
      responses: {
        200: {
          description: 'The policy as changed.',
          schema: cachePolicySchema,
          example: cachePolicyExample,
        },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      const change = changeFrom(parseWith(policySchema, request.body ?? {}));
      return serializeCachePolicy(await caching.putPolicy(callerOf(request), organizationId, null, change));
    },
  );

  app.get(
    keyPath,
    requires('admin:cache', {
      operationId: 'getApiKeyCachePolicy',
      summary: "Get an API key's cache policy",
      tag,
      params: keyParamsSchema,
      responses: {
        200: {
          description: 'The policy set on the key and the one in force for it.',
          schema: cachePolicySchema,
          example: { ...cachePolicyExample, api_key_id: 'key_5fQm2Lx9Tb7cW1zR' },
        },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId, keyId } = parseWith(keyParamsSchema, request.params);
      return serializeCachePolicy(await caching.policy(callerOf(request), organizationId, keyId));
    },
  );

  app.put(
    keyPath,
    requires('admin:cache', {
      operationId: 'setApiKeyCachePolicy',
      summary: "Change an API key's cache policy",
      description: putDescription,
      tag,
      params: keyParamsSchema,
      body: policySchema,
      bodyOptional: true,
      bodyExample: { semantic_enabled: true, similarity_threshold: 0.92 },
      responses: {
        200: {
          description: 'The policy as changed.',
          schema: cachePolicySchema,
          example: { ...cachePolicyExample, api_key_id: 'key_5fQm2Lx9Tb7cW1zR' },
        },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId, keyId } = parseWith(keyParamsSchema, request.params);
      const change = changeFrom(parseWith(policySchema, request.body ?? {}));
      return serializeCachePolicy(await caching.putPolicy(callerOf(request), organizationId, keyId, change));
    },
  );
}
