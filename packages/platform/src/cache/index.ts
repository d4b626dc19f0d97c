export { type CacheConfig, cacheConfigSchema } from './cache-config-schema.ts';
export { readCacheDirectives } from './cache-directives.ts';
export {
  type CacheableRequest,
  canonicalJson,
  conversationText,
  exactCacheKey,
  semanticScope,
} from './cache-key.ts';
export {
  type CacheDecision,
  type CacheDirectives,
  decideCaching,
  type EffectiveCachePolicy,
  effectivePolicy,
  emptyCachePolicy,
  noDirectives,
  type StoredCachePolicy,
} from './cache-policy.ts';
export { type CachePolicyDirectory, findCachePolicy, putCachePolicy } from './cache-policy-directory.ts';
export {
  type CachedAnswer,
  type ContentPart,
  parseAnswer,
  partsFromAnswer,
  resultFromAnswer,
  StreamCollector,
  serializeAnswer,
  type UnstampedAnswer,
} from './cached-answer.ts';
export {
  type CacheHit,
  type CacheLayer,
  type CacheStatus,
  type CacheTarget,
  type ChatCache,
  type ChatCacheOptions,
  cachePurgedChannel,
  createChatCache,
  type EmbedText,
  type PurgeOutcome,
} from './chat-cache.ts';
export { createKeyValueAnswerStore, type KeyValueAnswerStore } from './key-value-answer-store.ts';
export { createMemoryLruCache, type EvictionReason, type MemoryLruCache } from './memory-lru-cache.ts';
export {
  cosineSimilarity,
  createSemanticStore,
  type SemanticSearchMode,
  type SemanticStore,
} from './semantic-store.ts';
export { createSingleFlight, type SingleFlight } from './single-flight.ts';
