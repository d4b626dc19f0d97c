import { z } from 'zod';
import type { CacheStatistics } from '../../platform/index.ts';
import { effectiveCachePolicyFieldsSchema } from '../admin/index.ts';
import { timestampSchema } from '../openapi/index.ts';

/** The response schemas of the operations routes (health, usage, cache), with their examples. */

export const healthSchema = z
  .object({ status: z.literal('ok') })
  .meta({ id: 'Health', description: 'The process is alive.' });

export const readinessSchema = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    checks: z
      .record(z.string(), z.string())
      .describe(
        'Each dependency and its state: `database` and `migrations` (`ok`, `pending`, `unreachable: …`) decide readiness; `key_value_store` (`ok` or `degraded: …`) is reported only.',
      ),
  })
  .meta({
    id: 'Readiness',
    description: 'Whether this replica can serve: the store reachable and migrated.',
  });

export const readinessExample = {
  status: 'ready',
  checks: { database: 'ok', migrations: 'ok', key_value_store: 'ok' },
} satisfies z.output<typeof readinessSchema>;

const decimalUsd = z.string().describe('US dollars, exact decimal text.');

const usageFields = {
  requests: z.number().int(),
  failed_requests: z.number().int(),
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  cached_tokens: z.number().int(),
  cache_write_tokens: z
    .number()
    .int()
    .describe("Prompt tokens written to the provider's prompt cache (5-minute and 1-hour writes together)."),
  cache_write_1h_tokens: z.number().int().describe('The part of the cache writes kept for one hour.'),
  cost_usd: decimalUsd,
  cache_hits: z.number().int().describe('Requests answered by the response cache (any layer).'),
  cache_saved_usd: z.string().describe('Provider cost the cache hits avoided; exact decimal text.'),
  unpriced_requests: z
    .number()
    .int()
    .describe('Requests served by a model without a price: their cost is 0 because it is unknown.'),
};

const usageTotalsSchema = z.object(usageFields).meta({ id: 'UsageTotals' });
const usageRowSchema = z
  .object({
    group: z.string().describe('The model, key id, team id or day (`YYYY-MM-DD`) the row aggregates.'),
    ...usageFields,
  })
  .meta({ id: 'UsageRow' });

export const usageAggregateSchema = z
  .object({
    object: z.literal('usage.aggregate'),
    organization_id: z.string(),
    from: timestampSchema,
    to: timestampSchema,
    group_by: z.enum(['model', 'key', 'team', 'day']),
    data: z.array(usageRowSchema),
    totals: usageTotalsSchema,
  })
  .meta({ id: 'UsageAggregate', description: "The organisation's usage from the ledger, aggregated." });

const usageTotalsExample = {
  requests: 12,
  failed_requests: 1,
  prompt_tokens: 3400,
  completion_tokens: 900,
  cached_tokens: 0,
  cache_write_tokens: 0,
  cache_write_1h_tokens: 0,
  cost_usd: '0.0123',
  cache_hits: 2,
  cache_saved_usd: '0.0011',
  unpriced_requests: 0,
};

export const usageAggregateExample = {
  object: 'usage.aggregate',
  organization_id: 'org_3kTtV5xQ1mZ8rB2w',
  from: '2026-11-07T16:00:00.000Z',
  to: '2026-12-07T16:00:00.000Z',
  group_by: 'model',
  data: [{ group: 'sim/fast', ...usageTotalsExample }],
  totals: usageTotalsExample,
} satisfies z.output<typeof usageAggregateSchema>;

export const cacheStatsSchema = z
  .object({
    object: z.literal('cache.stats'),
    organization_id: z.string(),
    from: timestampSchema,
    to: timestampSchema,
    requests: z
      .object({
        hit_l1: z.number().int(),
        hit_l2: z.number().int(),
        hit_semantic: z.number().int(),
        miss: z.number().int(),
        bypass: z.number().int(),
      })
      .describe("Chat requests by cache outcome, from the usage ledger (every replica's)."),
    hit_ratio: z.number().describe('Hits over hits and misses (bypasses not counted); 0 without lookups.'),
    saved_usd: z.string().describe('Provider cost the hits avoided; exact decimal text.'),
    tokens_served_from_cache: z.number().int(),
    l1: z
      .object({ entries: z.number().int(), bytes: z.number().int(), scope: z.literal('this replica') })
      .describe("The in-memory layer of the replica that answered: other replicas' are not counted."),
    l2: z.object({ configured: z.boolean(), healthy: z.boolean() }).describe('The shared (Redis) layer.'),
    semantic: z.object({
      entries: z.number().int(),
      mode: z.enum(['pgvector', 'exact-scan', 'disabled']),
    }),
    policy: effectiveCachePolicyFieldsSchema,
  })
  .meta({ id: 'CacheStats', description: "The response cache's statistics for one organisation." });

export const cacheStatsExample = {
  object: 'cache.stats',
  organization_id: 'org_3kTtV5xQ1mZ8rB2w',
  from: '2026-11-07T16:00:00.000Z',
  to: '2026-12-07T16:00:00.000Z',
  requests: { hit_l1: 3, hit_l2: 1, hit_semantic: 0, miss: 6, bypass: 2 },
  hit_ratio: 0.4,
  saved_usd: '0.0021',
  tokens_served_from_cache: 820,
  l1: { entries: 4, bytes: 9120, scope: 'this replica' },
  l2: { configured: false, healthy: false },
  semantic: { entries: 0, mode: 'disabled' },
  policy: {
    enabled: true,
    ttl_seconds: 3600,
    cache_nonzero_temperature: false,
    semantic_enabled: false,
    similarity_threshold: 0.95,
  },
} satisfies z.output<typeof cacheStatsSchema>;

export function serializeCacheStatistics(statistics: CacheStatistics): z.output<typeof cacheStatsSchema> {
  const { usage, layers, policy } = statistics;
  return {
    object: 'cache.stats',
    organization_id: statistics.organizationId,
    from: statistics.from.toISOString(),
    to: statistics.to.toISOString(),
    requests: {
      hit_l1: usage.requests['hit-l1'] ?? 0,
      hit_l2: usage.requests['hit-l2'] ?? 0,
      hit_semantic: usage.requests['hit-semantic'] ?? 0,
      miss: usage.requests.miss ?? 0,
      bypass: usage.requests.bypass ?? 0,
    },
    hit_ratio: statistics.hitRatio,
    saved_usd: usage.savedUsd,
    tokens_served_from_cache: usage.tokensServed,
    l1: { entries: layers.l1.entries, bytes: layers.l1.bytes, scope: 'this replica' },
    l2: layers.l2,
    semantic: layers.semantic,
    policy: {
      enabled: policy.enabled,
      ttl_seconds: policy.ttlSeconds,
      cache_nonzero_temperature: policy.cacheNonzeroTemperature,
      semantic_enabled: policy.semanticEnabled,
      similarity_threshold: policy.similarityThreshold,
    },
  };
}

export const cachePurgeSchema = z
  .object({
    object: z.literal('cache.purge'),
    organization_id: z.string(),
    l1_entries: z.number().int().describe("Entries removed from this replica's memory (others are told to)."),
    l2: z
      .enum(['purged', 'unavailable', 'not-configured'])
      .describe('The shared layer: purged, unreachable, or absent (no Redis).'),
    semantic_entries: z.number().int(),
  })
  .meta({ id: 'CachePurge', description: "What a purge removed of an organisation's cached answers." });

export const cachePurgeExample = {
  object: 'cache.purge',
  organization_id: 'org_3kTtV5xQ1mZ8rB2w',
  l1_entries: 4,
  l2: 'not-configured',
  semantic_entries: 0,
} satisfies z.output<typeof cachePurgeSchema>;
