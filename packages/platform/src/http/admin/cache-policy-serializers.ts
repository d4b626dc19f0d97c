import type { EffectiveCachePolicy, StoredCachePolicy } from '../../cache/index.ts';
import type { CachePolicyView } from '../../platform/index.ts';

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

export function serializeCachePolicy(view: CachePolicyView) {
  return {
    object: 'cache.policy',
    organization_id: view.organizationId,
    api_key_id: view.apiKeyId,
    stored: serializePolicyFields(view.stored),
    effective: serializePolicyFields(view.effective),
  };
}
