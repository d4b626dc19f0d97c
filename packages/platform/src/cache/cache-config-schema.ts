import { z } from 'zod';

const semanticDefaults = {
  embedding_model: 'sim/embed',
  similarity_threshold: 0.95,
  max_scan_entries: 2000,
};

const cacheDefaults = {
  enabled: false,
  ttl_seconds: 300,
  cache_nonzero_temperature: true,
  l1_max_bytes: 64 * 1024 * 1024,
  l1_max_entry_bytes: 1024 * 1024,
  lock_ttl_ms: 15_000,
  lock_wait_ms: 20_000,
  l2_retry_after_ms: 2000,
  semantic: semanticDefaults,
};

/**
 * `cache:` in kimi.config.yaml: the defaults every organisation gets until its own cache policy
 * (PUT /v1/admin/organizations/{id}/cache-policy) says otherwise.
 *
 * ```yaml
 * cache:
 *   enabled: true            # exact cache for every organisation (off by default, as in LiteLLM/Portkey)
 *   ttl_seconds: 300         # L2 (Redis) and L1 lifetime of an entry
 *   l1_max_bytes: 67108864   # in-process LRU bound, in bytes of stored answers
 *   semantic:
 *     embedding_model: sim/embed
 *     similarity_threshold: 0.95
 * ```
 */
export const cacheConfigSchema = z
  .object({
    enabled: z.boolean().default(cacheDefaults.enabled),
    ttl_seconds: z
      .number()
      .int()
      .min(1)
      .max(30 * 86_400)
      .default(cacheDefaults.ttl_seconds),
    /** Whether answers sampled at a non-zero (or unset) temperature may be cached. */
    cache_nonzero_temperature: z.boolean().default(cacheDefaults.cache_nonzero_temperature),
    l1_max_bytes: z
      .number()
      .int()
      .min(0)
      .max(64 * 1024 * 1024 * 1024)
      .default(cacheDefaults.l1_max_bytes),
    /** Larger answers skip L1 (they still go to L2), so one answer cannot flush the LRU. */
    l1_max_entry_bytes: z
      .number()
      .int()
      .min(1)
      .max(1024 * 1024 * 1024)
      .default(cacheDefaults.l1_max_entry_bytes),
    /** How long a replica may hold the fill lock of a key before others stop waiting for it. */
    lock_ttl_ms: z.number().int().min(100).max(600_000).default(cacheDefaults.lock_ttl_ms),
    /** How long a request waits for another replica's answer before calling the provider itself. */
    lock_wait_ms: z.number().int().min(0).max(600_000).default(cacheDefaults.lock_wait_ms),
    /** After an L2 (Redis) failure, L2 is skipped this long before it is tried again. */
    l2_retry_after_ms: z.number().int().min(0).max(600_000).default(cacheDefaults.l2_retry_after_ms),
    semantic: z
      .object({
        embedding_model: z.string().min(1).default(semanticDefaults.embedding_model),
        /** Cosine similarity at or above which a stored answer is served; conservative by default. */
        similarity_threshold: z.number().min(0.5).max(1).default(semanticDefaults.similarity_threshold),
        /** Without pgvector: how many of the newest entries in scope are compared exactly. */
        max_scan_entries: z.number().int().min(1).max(100_000).default(semanticDefaults.max_scan_entries),
      })
      .strict()
      .default(semanticDefaults),
  })
  .strict()
  .default(cacheDefaults);

export type CacheConfig = z.output<typeof cacheConfigSchema>;
