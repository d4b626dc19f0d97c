import type { Database } from '../storage/db/index.ts';
import type { KeyValueStore } from '../storage/kv/index.ts';
import type { EventBus, Unsubscribe } from '../storage/pubsub/index.ts';
import type { Clock } from '../support/index.ts';
import type { Metrics } from '../telemetry/index.ts';
import type { CacheConfig } from './cache-config-schema.ts';
import { type CacheableRequest, conversationText, exactCacheKey, semanticScope } from './cache-key.ts';
import { type CacheDecision, type CacheDirectives, decideCaching, effectivePolicy } from './cache-policy.ts';
import { type CachePolicyDirectory, createCachePolicyDirectory } from './cache-policy-directory.ts';
import { type CachedAnswer, parseAnswer, serializeAnswer, type UnstampedAnswer } from './cached-answer.ts';
import { createKeyValueAnswerStore, type KeyValueAnswerStore } from './key-value-answer-store.ts';
import { createMemoryLruCache, type MemoryLruCache } from './memory-lru-cache.ts';
import { createSemanticStore, type SemanticSearchMode, type SemanticStore } from './semantic-store.ts';
import { createSingleFlight, type SingleFlight } from './single-flight.ts';

/** The `x-kimi-cache` header: which layer answered, or why none did. */
export type CacheStatus = 'hit-l1' | 'hit-l2' | 'hit-semantic' | 'miss' | 'bypass';
export type CacheLayer = 'l1' | 'l2' | 'semantic';

export const cachePurgedChannel = 'cache.purged';

/** One request as the cache sees it: its key, its semantic scope, and (once computed) its embedding. */
export interface CacheTarget {
  organizationId: string;
  key: string;
  scope: string;
  request: CacheableRequest;
  /** Set by a semantic lookup, reused when the answer is stored. */
  embedding: number[] | null;
}

export interface CacheHit {
  answer: CachedAnswer;
  layer: CacheLayer;
}

export interface PurgeOutcome {
  l1Entries: number;
  /** `not-configured` without Redis: there is no L2 then. */
  l2: 'purged' | 'unavailable' | 'not-configured';
  semanticEntries: number;
}

/** Embeds a text with the configured embedding model (the simulated one offline). */
export type EmbedText = (
  text: string,
  options: { modelName: string; requestId: string; signal: AbortSignal },
) => Promise<number[]>;

export interface ChatCacheOptions {
  /** The cache section in force now (it may change on a config reload). */
  config: () => CacheConfig;
  keyValueStore: KeyValueStore;
  database: Database;
  eventBus: EventBus;
  clock: Clock;
  metrics: Metrics;
  embed: EmbedText;
  /** How often cache policies are re-read from the store. */
  policyPollIntervalMs: number;
  /** Force the semantic store's search mode (tests of the fallback). */
  semanticMode?: 'auto' | 'exact-scan';
  onError?: (error: unknown, context: string) => void;
}

/**
 * The response cache: L1 (in-process LRU, bounded in bytes), L2 (the kv port, shared by replicas),
 * the opt-in semantic layer, single-flight and the fill lock. Nothing here throws into a request:
 * a failing layer is a miss, counted in metrics.
 */
export interface ChatCache {
  decide(
    caller: { organizationId: string; apiKeyId: string },
    directives: CacheDirectives,
    request: { temperature?: number },
  ): CacheDecision;
  target(organizationId: string, group: string, request: CacheableRequest): CacheTarget;
  /** L1 only: synchronous, for the fast path. */
  lookupMemory(target: CacheTarget): CachedAnswer | null;
  /** L2, then the semantic layer when the decision allows it. */
  lookupShared(
    target: CacheTarget,
    decision: CacheDecision,
    call: { requestId: string; signal: AbortSignal },
  ): Promise<CacheHit | null>;
  /** Stores a fresh answer in every layer the decision allows and returns it as stored; never throws. */
  store(
    target: CacheTarget,
    answer: UnstampedAnswer,
    decision: CacheDecision,
    call: { requestId: string; signal: AbortSignal },
  ): Promise<CachedAnswer>;
  /** Work in flight in this process, by key: concurrent identical requests join it. */
  flights: SingleFlight<CachedAnswer | null>;
  /**
   * Takes the fill lock across replicas. When another replica holds it, waits (polling L2) for its
   * answer: returns `{ answer }` when it came, `{ lock: null }` when this replica should call the
   * provider without a lock (lock store down, or the wait timed out).
   */
  acquireOrWait(
    target: CacheTarget,
    signal: AbortSignal,
  ): Promise<{ answer: CachedAnswer } | { lock: { release(): Promise<void> } | null }>;
  purge(organizationId: string): Promise<PurgeOutcome>;
  /** This replica's view of an organisation: L1 entries and bytes, semantic entries and mode. */
  localStats(organizationId: string): Promise<{
    l1: { entries: number; bytes: number };
    semantic: { entries: number; mode: SemanticSearchMode | 'disabled' };
    l2: { configured: boolean; healthy: boolean };
  }>;
  /** Counts a lookup's outcome in the metrics. */
  count(status: CacheStatus): void;
  policies: CachePolicyDirectory;
  start(): Promise<void>;
  close(): Promise<void>;
}

const layerOfStatus: Record<CacheStatus, { result: string; layer: string }> = {
  'hit-l1': { result: 'hit', layer: 'l1' },
  'hit-l2': { result: 'hit', layer: 'l2' },
  'hit-semantic': { result: 'hit', layer: 'semantic' },
  miss: { result: 'miss', layer: 'none' },
  bypass: { result: 'bypass', layer: 'none' },
};

export function createChatCache(options: ChatCacheOptions): ChatCache {
  const { clock, metrics } = options;
  const report = (error: unknown, context: string) => options.onError?.(error, context);
  // why lazily: the config getter may only be readable once the app is composed; the bound is
  // fixed at first use (changing it needs a restart).
  let memoryCache: MemoryLruCache<CachedAnswer> | undefined;
  const memory = () => {
    if (memoryCache) return memoryCache;
    const config = options.config();
    memoryCache = createMemoryLruCache<CachedAnswer>({
      maxBytes: config.l1_max_bytes,
      maxEntryBytes: config.l1_max_entry_bytes,
      clock,
      onEvict: (reason) => metrics.cacheEvictions.inc({ layer: 'l1', reason }),
    });
    return memoryCache;
  };
  const shared: KeyValueAnswerStore = createKeyValueAnswerStore({
    keyValueStore: options.keyValueStore,
    clock,
    retryAfterMs: () => options.config().l2_retry_after_ms,
    onFailure: (operation, error) => {
      metrics.cacheFailures.inc({ layer: 'l2', operation });
      report(error, `cache l2 ${operation}`);
    },
  });
  const semantic: SemanticStore = createSemanticStore({
    database: options.database,
    clock,
    mode: options.semanticMode ?? 'auto',
    maxScanEntries: () => options.config().semantic.max_scan_entries,
  });
  let semanticUsed = false;
  const policies = createCachePolicyDirectory({
    database: options.database,
    eventBus: options.eventBus,
    clock,
    pollIntervalMs: options.policyPollIntervalMs,
    onError: (error) => report(error, 'cache policy reload'),
  });
  const flights = createSingleFlight<CachedAnswer | null>();
  let unsubscribe: Unsubscribe | undefined;

  const updateMemoryGauges = () => {
    const size = memory().size();
    metrics.cacheBytes.set(size.bytes);
    metrics.cacheEntries.set(size.entries);
  };

  const forgetOrganization = (organizationId: string) => {
    const removed = memory().deleteOrganization(organizationId);
    shared.forgetGeneration(organizationId);
    updateMemoryGauges();
    return removed;
  };

  /** Keeps an answer in L1, never beyond the expiry it was stored with. */
  function remember(target: CacheTarget, answer: CachedAnswer, serialized: string, ttlMs: number): void {
    const remainingMs = Math.min(ttlMs, answer.expiresAt - clock.now());
    if (remainingMs <= 0) return;
    memory().set(target.key, target.organizationId, answer, serialized.length * 2, remainingMs);
    updateMemoryGauges();
  }

  async function embedding(target: CacheTarget, call: { requestId: string; signal: AbortSignal }) {
    if (target.embedding) return target.embedding;
    target.embedding = await options.embed(conversationText(target.request), {
      modelName: options.config().semantic.embedding_model,
      requestId: call.requestId,
      signal: call.signal,
    });
    return target.embedding;
  }

  return {
    decide(caller, directives, request) {
      const config = options.config();
      const stored = policies.lookup(caller.organizationId, caller.apiKeyId);
      const policy = effectivePolicy(config, stored.organization, stored.key);
      return decideCaching(policy, directives, request, 30 * 86_400);
    },
    target(organizationId, group, request) {
      const input = { organizationId, group, request };
      return {
        organizationId,
        key: `${organizationId}:${exactCacheKey(input)}`,
        scope: semanticScope(input),
        request,
        embedding: null,
      };
    },
    lookupMemory: (target) => memory().get(target.key) ?? null,
    async lookupShared(target, decision, call) {
      const text = await shared.get(target.organizationId, target.key);
      const fromShared = text === null ? null : parseAnswer(text);
      if (fromShared && text !== null) {
        const ttlMs = decision.ttlMs;
        remember(target, fromShared, text, ttlMs);
        return { answer: fromShared, layer: 'l2' };
      }
      if (!decision.semantic?.read) return null;
      try {
        semanticUsed = true;
        const vector = await embedding(target, call);
        const match = await semantic.nearest(
          target.organizationId,
          target.scope,
          vector,
          decision.semantic.threshold,
        );
        const answer = match ? parseAnswer(match.answer) : null;
        return answer ? { answer, layer: 'semantic' } : null;
      } catch (error) {
        metrics.cacheFailures.inc({ layer: 'semantic', operation: 'get' });
        report(error, 'cache semantic lookup');
        return null;
      }
    },
    async store(target, fresh, decision, call) {
      const now = clock.now();
      const answer: CachedAnswer = { ...fresh, storedAt: now, expiresAt: now + decision.ttlMs };
      if (!decision.write) return answer;
      const serialized = serializeAnswer(answer);
      remember(target, answer, serialized, decision.ttlMs);
      await shared.set(target.organizationId, target.key, serialized, decision.ttlMs);
      if (!decision.semantic) return answer;
      try {
        semanticUsed = true;
        await semantic.insert({
          organizationId: target.organizationId,
          scope: target.scope,
          key: target.key,
          embedding: await embedding(target, call),
          answer: serialized,
          ttlMs: decision.ttlMs,
        });
      } catch (error) {
        metrics.cacheFailures.inc({ layer: 'semantic', operation: 'set' });
        report(error, 'cache semantic store');
      }
      return answer;
    },
    flights,
    async acquireOrWait(target, signal) {
      const config = options.config();
      const lock = await shared.lock(target.organizationId, target.key, config.lock_ttl_ms);
      if (lock.state === 'acquired') {
        return {
          lock: { release: () => shared.unlock(target.organizationId, target.key, lock.token) },
        };
      }
      if (lock.state === 'unavailable') return { lock: null };
      metrics.cacheCoalesced.inc({ scope: 'replica' });
      const deadline = clock.now() + config.lock_wait_ms;
      let pause = 10;
      while (clock.now() < deadline && !signal.aborted) {
        try {
          await clock.sleep(pause, signal);
        } catch {
          break;
        }
        pause = Math.min(pause * 2, 100);
        const text = await shared.get(target.organizationId, target.key);
        const answer = text === null ? null : parseAnswer(text);
        if (answer && text !== null) {
          remember(target, answer, text, config.ttl_seconds * 1000);
          return { answer };
        }
        // The holder finished without an answer (it failed, or its answer was not cacheable).
        if (!(await shared.locked(target.organizationId, target.key))) break;
      }
      return { lock: null };
    },
    async purge(organizationId) {
      const l1Entries = forgetOrganization(organizationId);
      const l2 = !shared.shared
        ? 'not-configured'
        : (await shared.purge(organizationId))
          ? 'purged'
          : 'unavailable';
      let semanticEntries = 0;
      try {
        semanticEntries = await semantic.purge(organizationId);
      } catch (error) {
        report(error, 'cache semantic purge');
        throw error;
      }
      await options.eventBus
        .publish(cachePurgedChannel, organizationId)
        .catch((error: unknown) => report(error, 'cache purge broadcast'));
      return { l1Entries, l2, semanticEntries };
    },
    async localStats(organizationId) {
      const mode = semanticUsed ? await semantic.prepare() : 'disabled';
      return {
        l1: memory().sizeOf(organizationId),
        semantic: { entries: await semantic.count(organizationId), mode },
        l2: { configured: shared.shared, healthy: shared.shared && shared.healthy() },
      };
    },
    count(status) {
      metrics.cacheLookups.inc(layerOfStatus[status]);
    },
    policies,
    async start() {
      await policies.start();
      unsubscribe = await options.eventBus.subscribe(cachePurgedChannel, (organizationId) => {
        forgetOrganization(organizationId);
      });
    },
    async close() {
      await unsubscribe?.();
      await policies.close();
    },
  };
}
