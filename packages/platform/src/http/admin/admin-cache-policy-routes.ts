import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { CachePolicyChange, CacheServices } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';
import { serializeCachePolicy } from './cache-policy-serializers.ts';

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

  app.get(organizationPath, requires('admin:cache'), async (request) => {
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    return serializeCachePolicy(await caching.policy(callerOf(request), organizationId, null));
  });

  app.put(organizationPath, requires('admin:cache'), async (request) => {
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    const change = changeFrom(parseWith(policySchema, request.body ?? {}));
    return serializeCachePolicy(await caching.putPolicy(callerOf(request), organizationId, null, change));
  });

  app.get(keyPath, requires('admin:cache'), async (request) => {
    const { organizationId, keyId } = parseWith(keyParamsSchema, request.params);
    return serializeCachePolicy(await caching.policy(callerOf(request), organizationId, keyId));
  });

  app.put(keyPath, requires('admin:cache'), async (request) => {
    const { organizationId, keyId } = parseWith(keyParamsSchema, request.params);
    const change = changeFrom(parseWith(policySchema, request.body ?? {}));
    return serializeCachePolicy(await caching.putPolicy(callerOf(request), organizationId, keyId, change));
  });
}
