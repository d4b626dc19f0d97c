import type { Clock } from '../../support/index.ts';
import type { KeyValueStore } from './key-value-store.ts';
import { createMemoryKeyValueStore } from './memory-key-value-store.ts';
import { createRedisKeyValueStore } from './redis-key-value-store.ts';

export type { AtomicOperation, MemoryAtomicView, ScoredMember } from './atomic-operation.ts';
export type { KeyValueStore } from './key-value-store.ts';
export { createMemoryKeyValueStore, type MemoryKeyValueStoreOptions } from './memory-key-value-store.ts';
export { createRedisKeyValueStore, type RedisKeyValueStoreOptions } from './redis-key-value-store.ts';
export { type KeyValueOperation, timedKeyValueStore } from './timed-key-value-store.ts';

export interface KeyValueStoreOptions {
  /** Redis to use; without it the store lives in this process. */
  redisUrl?: string;
  /** Prepended to every Redis key; default `kimi:`. */
  keyPrefix?: string;
  /** Time source of the in-process store. */
  clock?: Clock;
  /** How long a Redis command may take before it fails; default 1000 ms. */
  timeoutMs?: number;
}

/** Picks the Redis store when a URL is configured and the in-process store otherwise. */
export function createKeyValueStore(options: KeyValueStoreOptions = {}): KeyValueStore {
  if (options.redisUrl) {
    return createRedisKeyValueStore({
      url: options.redisUrl,
      keyPrefix: options.keyPrefix ?? 'kimi:',
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
  }
  return createMemoryKeyValueStore({ clock: options.clock });
}
