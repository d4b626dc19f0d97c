import { type Clock, systemClock } from '../../support/index.ts';
import { assertIntegerAmount, normalizeTimeToLive, parseCounter } from './key-value-arguments.ts';
import type { KeyValueStore } from './key-value-store.ts';

export interface MemoryKeyValueStoreOptions {
  /** Time source for expiry; the system clock by default. */
  clock?: Clock;
  /** Most keys held at once; inserting beyond it evicts the oldest-inserted key. Default 100 000. */
  maxEntries?: number;
  /** How often expired keys are swept out. Default 60 000 ms. */
  sweepIntervalMs?: number;
}

interface Entry {
  value: string;
  /** Epoch milliseconds, or null for no expiry. */
  expiresAt: number | null;
}

/**
 * The embedded key-value store: a Map in this process. Expired keys disappear on access and in a
 * periodic sweep; the map is bounded so a cache can never grow without limit.
 */
export function createMemoryKeyValueStore(options: MemoryKeyValueStoreOptions = {}): KeyValueStore {
  const clock = options.clock ?? systemClock;
  const maxEntries = options.maxEntries ?? 100_000;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new Error(`maxEntries must be a positive integer, got ${maxEntries}`);
  }
  // A Map iterates in insertion order, so its first key is always the oldest-inserted one.
  const entries = new Map<string, Entry>();
  let closed = false;

  const isExpired = (entry: Entry) => entry.expiresAt !== null && entry.expiresAt <= clock.now();

  const read = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (isExpired(entry)) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  const insert = (key: string, value: string, ttlMs: number | undefined) => {
    const expiresAt = ttlMs === undefined ? null : clock.now() + normalizeTimeToLive(ttlMs);
    // Re-inserting moves the key to the newest position: a rewritten key is a fresh insertion.
    entries.delete(key);
    while (entries.size >= maxEntries) {
      const oldest = entries.keys().next();
      if (oldest.done) break;
      entries.delete(oldest.value);
    }
    entries.set(key, { value, expiresAt });
  };

  const sweep = () => {
    for (const [key, entry] of entries) {
      if (isExpired(entry)) entries.delete(key);
    }
  };
  const sweepTimer = setInterval(sweep, options.sweepIntervalMs ?? 60_000);
  // why: the sweep only reclaims memory; it must never keep the process alive on its own.
  sweepTimer.unref();

  const assertOpen = () => {
    if (closed) throw new Error('key-value store is closed');
  };

  return {
    backend: 'memory',

    async get(key) {
      assertOpen();
      return read(key)?.value ?? null;
    },

    async set(key, value, setOptions) {
      assertOpen();
      insert(key, value, setOptions?.ttlMs);
    },

    async setIfAbsent(key, value, setOptions) {
      assertOpen();
      normalizeTimeToLive(setOptions.ttlMs);
      if (read(key) !== undefined) return false;
      insert(key, value, setOptions.ttlMs);
      return true;
    },

    async delete(key) {
      assertOpen();
      const existed = read(key) !== undefined;
      entries.delete(key);
      return existed;
    },

    async increment(key, amount, incrementOptions) {
      assertOpen();
      assertIntegerAmount(amount);
      if (incrementOptions?.ttlMs !== undefined) normalizeTimeToLive(incrementOptions.ttlMs);
      const entry = read(key);
      if (entry === undefined) {
        insert(key, String(amount), incrementOptions?.ttlMs);
        return amount;
      }
      const next = parseCounter(key, entry.value) + amount;
      if (!Number.isSafeInteger(next)) throw new Error(`increment of key "${key}" would overflow`);
      entry.value = String(next);
      return next;
    },

    async compareAndDelete(key, expected) {
      assertOpen();
      if (read(key)?.value !== expected) return false;
      entries.delete(key);
      return true;
    },

    async timeToLiveMs(key) {
      assertOpen();
      const entry = read(key);
      if (entry === undefined || entry.expiresAt === null) return null;
      return entry.expiresAt - clock.now();
    },

    async ping() {
      assertOpen();
    },

    async close() {
      closed = true;
      clearInterval(sweepTimer);
      entries.clear();
    },
  };
}
