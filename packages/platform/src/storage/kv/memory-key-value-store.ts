import { type Clock, systemClock } from '../../support/index.ts';
import { assertIntegerAmount, normalizeTimeToLive, parseCounter } from './key-value-arguments.ts';
import type { KeyValueStore } from './key-value-store.ts';
import {
  createMemoryAtomicView,
  type EntryTable,
  readString,
  type StoredEntry,
} from './memory-atomic-view.ts';

export interface MemoryKeyValueStoreOptions {
  /** Time source for expiry; the system clock by default. */
  clock?: Clock;
  /** Most keys held at once; inserting beyond it evicts the oldest-inserted key. Default 100 000. */
  maxEntries?: number;
  /** How often expired keys are swept out. Default 60 000 ms. */
  sweepIntervalMs?: number;
}

/**
 * The embedded key-value store: a Map in this process. Expired keys disappear on access and in a
 * periodic sweep; the map is bounded so a cache can never grow without limit. Besides strings it
 * holds the hashes and sorted sets that atomic operations write; each such write counts as a fresh
 * insertion, so when the bound is reached the keys evicted first are the ones nobody wrote lately.
 */
export function createMemoryKeyValueStore(options: MemoryKeyValueStoreOptions = {}): KeyValueStore {
  const clock = options.clock ?? systemClock;
  const maxEntries = options.maxEntries ?? 100_000;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new Error(`maxEntries must be a positive integer, got ${maxEntries}`);
  }
  // A Map iterates in insertion order, so its first key is always the oldest-inserted one.
  const entries = new Map<string, StoredEntry>();
  let closed = false;

  const isExpired = (entry: StoredEntry) => entry.expiresAt !== null && entry.expiresAt <= clock.now();

  const read = (key: string): StoredEntry | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (isExpired(entry)) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  const write = (key: string, entry: StoredEntry) => {
    // Re-inserting moves the key to the newest position: a rewritten key is a fresh insertion.
    entries.delete(key);
    while (entries.size >= maxEntries) {
      const oldest = entries.keys().next();
      if (oldest.done) break;
      entries.delete(oldest.value);
    }
    entries.set(key, entry);
  };

  const insert = (key: string, value: string, ttlMs: number | undefined) => {
    const expiresAt = ttlMs === undefined ? null : clock.now() + normalizeTimeToLive(ttlMs);
    write(key, { value, expiresAt });
  };

  const table: EntryTable = {
    now: () => clock.now(),
    read,
    write,
    touch(key, entry) {
      entries.delete(key);
      entries.set(key, entry);
    },
    remove(key) {
      entries.delete(key);
    },
  };
  const atomicView = createMemoryAtomicView(table);

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
    shared: false,

    async get(key) {
      assertOpen();
      return readString(read(key)) ?? null;
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
      const current = readString(entry);
      if (entry === undefined || current === undefined) {
        insert(key, String(amount), incrementOptions?.ttlMs);
        return amount;
      }
      const next = parseCounter(key, current) + amount;
      if (!Number.isSafeInteger(next)) throw new Error(`increment of key "${key}" would overflow`);
      entry.value = String(next);
      return next;
    },

    async compareAndDelete(key, expected) {
      assertOpen();
      if (readString(read(key)) !== expected) return false;
      entries.delete(key);
      return true;
    },

    async timeToLiveMs(key) {
      assertOpen();
      const entry = read(key);
      if (entry === undefined || entry.expiresAt === null) return null;
      return entry.expiresAt - clock.now();
    },

    async runAtomic(operation, keys, args) {
      assertOpen();
      return operation.memory(atomicView, keys, args.map(String));
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
