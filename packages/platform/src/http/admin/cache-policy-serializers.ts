import { z } from 'zod';
import type { EffectiveCachePolicy, StoredCachePolicy } from '../../cache/index.ts';
import type { CachePolicyView } from '../../platform/index.ts';

/** The stored fields: each null inherits (from the organisation, then the config). */
export const storedCachePolicyFieldsSchema = z
  .object({
    enabled: z.boolean().nullable().describe('Whether responses are cached.'),
    ttl_seconds: z.number().int().nullable().describe('How long a cached response is served.'),
    cache_nonzero_temperature: z
      .boolean()
      .nullable()
      .describe('Whether requests with a temperature above 0 are cached too.'),
    semantic_enabled: z
      .boolean()
      .nullable()
      .describe('Whether similar (not only identical) prompts hit the cache.'),
    similarity_threshold: z
      .number()
      .nullable()
      .describe('How similar a prompt must be for a semantic hit (0.5-1).'),
  })
  .meta({ id: 'StoredCachePolicy', description: 'A cache policy as set here: each null inherits.' });

/** The fields in force, every one resolved. */
export const effectiveCachePolicyFieldsSchema = z
  .object({
    enabled: z.boolean(),
    ttl_seconds: z.number().int(),
    cache_nonzero_temperature: z.boolean(),
    semantic_enabled: z.boolean(),
    similarity_threshold: z.number(),
  })
  .meta({ id: 'EffectiveCachePolicy', description: 'The cache policy in force, after inheritance.' });

export const cachePolicySchema = z
  .object({
    object: z.literal('cache.policy'),
    organization_id: z.string(),
    api_key_id: z.string().nullable().describe("The key's policy; null: the organisation's."),
    stored: storedCachePolicyFieldsSchema,
    effective: effectiveCachePolicyFieldsSchema,
  })
  .meta({ id: 'CachePolicy', description: 'A cache policy: what is set here and what is in force.' });

export const cachePolicyExample = {
  object: 'cache.policy',
  organization_id: 'org_3kTtV5xQ1mZ8rB2w',
  api_key_id: null,
  stored: {
    enabled: true,
    ttl_seconds: 3600,
    cache_nonzero_temperature: null,
    semantic_enabled: null,
    similarity_threshold: null,
  },
  effective: {
    enabled: true,
    ttl_seconds: 3600,
    cache_nonzero_temperature: false,
    semantic_enabled: false,
    similarity_threshold: 0.95,
  },
} satisfies z.output<typeof cachePolicySchema>;

/** The wire form of a policy's fields; stored ones may be null (inherit). */
export function serializePolicyFields(policy: StoredCachePolicy | EffectiveCachePolicy) {
  return {
    enabled: policy.enabled,
    ttl_seconds: policy.ttlSeconds,
    cache_nonzero_temperature: policy.cacheNonzeroTemperature,
    semantic_enabled: policy.semanticEnabled,
    similarity_threshold: policy.similarityThreshold,
  };
}

export function serializeCachePolicy(view: CachePolicyView): z.output<typeof cachePolicySchema> {
  return {
    object: 'cache.policy',
    organization_id: view.organizationId,
    api_key_id: view.apiKeyId,
    stored: serializePolicyFields(view.stored),
    effective: {
      enabled: view.effective.enabled,
      ttl_seconds: view.effective.ttlSeconds,
      cache_nonzero_temperature: view.effective.cacheNonzeroTemperature,
      semantic_enabled: view.effective.semanticEnabled,
      similarity_threshold: view.effective.similarityThreshold,
    },
  };
}
