import type { CacheConfig } from './cache-config-schema.ts';

/** A policy as stored for an organisation or a key: null fields inherit. */
export interface StoredCachePolicy {
  enabled: boolean | null;
  ttlSeconds: number | null;
  cacheNonzeroTemperature: boolean | null;
  semanticEnabled: boolean | null;
  similarityThreshold: number | null;
}

export const emptyCachePolicy: StoredCachePolicy = {
  enabled: null,
  ttlSeconds: null,
  cacheNonzeroTemperature: null,
  semanticEnabled: null,
  similarityThreshold: null,
};

/** The policy in force for one caller: config defaults, then the organisation's, then the key's. */
export interface EffectiveCachePolicy {
  enabled: boolean;
  ttlSeconds: number;
  cacheNonzeroTemperature: boolean;
  semanticEnabled: boolean;
  similarityThreshold: number;
}

export function effectivePolicy(
  config: CacheConfig,
  organization: StoredCachePolicy | undefined,
  key: StoredCachePolicy | undefined,
): EffectiveCachePolicy {
  const pick = <Field extends keyof StoredCachePolicy>(
    field: Field,
    fallback: NonNullable<StoredCachePolicy[Field]>,
  ): NonNullable<StoredCachePolicy[Field]> => key?.[field] ?? organization?.[field] ?? fallback;
  return {
    enabled: pick('enabled', config.enabled),
    ttlSeconds: pick('ttlSeconds', config.ttl_seconds),
    cacheNonzeroTemperature: pick('cacheNonzeroTemperature', config.cache_nonzero_temperature),
    // Semantic answers are opt-in per organisation: no config default turns them on.
    semanticEnabled: pick('semanticEnabled', false),
    similarityThreshold: pick('similarityThreshold', config.semantic.similarity_threshold),
  };
}

/** What a request asked of the cache (Cache-Control and x-kimi-cache-ttl). */
export interface CacheDirectives {
  /** `no-cache`: do not answer from the cache, but store the fresh answer. */
  noCache: boolean;
  /** `no-store`: neither read nor write the cache. */
  noStore: boolean;
  /** `x-kimi-cache-ttl`: the lifetime of the answer stored for this request, in seconds. */
  ttlSeconds: number | null;
}

export const noDirectives: CacheDirectives = { noCache: false, noStore: false, ttlSeconds: null };

export interface CacheDecision {
  read: boolean;
  write: boolean;
  ttlMs: number;
  /** Present when the organisation uses the semantic layer; `read` when it may answer this request. */
  semantic: { threshold: number; read: boolean } | null;
  /** Why the cache is not consulted, when it is not. */
  bypassReason: 'disabled' | 'no-store' | 'no-cache' | 'temperature' | null;
}

/** Decides, per request, whether the cache may answer and whether the answer may be stored. */
export function decideCaching(
  policy: EffectiveCachePolicy,
  directives: CacheDirectives,
  request: { temperature?: number },
  maxTtlSeconds: number,
): CacheDecision {
  const ttlSeconds = Math.min(directives.ttlSeconds ?? policy.ttlSeconds, maxTtlSeconds);
  const decision = (read: boolean, write: boolean, bypassReason: CacheDecision['bypassReason']) => ({
    read,
    write: write && ttlSeconds > 0,
    ttlMs: ttlSeconds * 1000,
    semantic:
      policy.semanticEnabled && (read || write) ? { threshold: policy.similarityThreshold, read } : null,
    bypassReason,
  });
  if (!policy.enabled) return decision(false, false, 'disabled');
  if (directives.noStore) return decision(false, false, 'no-store');
  // An unset temperature means the provider's default, which samples.
  const sampled = request.temperature === undefined || request.temperature > 0;
  if (sampled && !policy.cacheNonzeroTemperature) return decision(false, false, 'temperature');
  if (directives.noCache) return decision(false, true, 'no-cache');
  return decision(true, true, null);
}
