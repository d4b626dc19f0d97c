import type { MemoryAtomicView } from './atomic-operation.ts';
import { assertIntegerAmount, normalizeTimeToLive, parseCounter } from './key-value-arguments.ts';
import { SortedSet } from './sorted-set.ts';

/** What one key of the in-process store holds: a string, a hash or a sorted set, as in Redis. */
export type StoredValue = string | Map<string, string> | SortedSet;

export interface StoredEntry {
  value: StoredValue;
  /** Epoch milliseconds, or null for no expiry. */
  expiresAt: number | null;
}

/** The in-process store's map as the view needs it. */
export interface EntryTable {
  now(): number;
  /** The live entry, or undefined when missing or expired. */
  read(key: string): StoredEntry | undefined;
  /** Stores a new entry as the newest (the bound may evict the oldest). */
  write(key: string, entry: StoredEntry): void;
  /** Marks an entry changed in place as the newest, so eviction takes idle keys first. */
  touch(key: string, entry: StoredEntry): void;
  remove(key: string): void;
}

export const wrongTypeMessage = 'WRONGTYPE Operation against a key holding the wrong kind of value';

/** The string held at `key`, undefined when missing; throws WRONGTYPE for a hash or sorted set. */
export function readString(entry: StoredEntry | undefined): string | undefined {
  if (entry === undefined) return undefined;
  if (typeof entry.value !== 'string') throw new Error(wrongTypeMessage);
  return entry.value;
}

function readHash(entry: StoredEntry | undefined): Map<string, string> | undefined {
  if (entry === undefined) return undefined;
  if (!(entry.value instanceof Map)) throw new Error(wrongTypeMessage);
  return entry.value;
}

function readSortedSet(entry: StoredEntry | undefined): SortedSet | undefined {
  if (entry === undefined) return undefined;
  if (!(entry.value instanceof SortedSet)) throw new Error(wrongTypeMessage);
  return entry.value;
}

/** The Redis-like view an atomic operation's in-process half works on. */
export function createMemoryAtomicView(table: EntryTable): MemoryAtomicView {
  const hashFor = (key: string): Map<string, string> => {
    const entry = table.read(key);
    const existing = readHash(entry);
    if (entry !== undefined && existing !== undefined) {
      table.touch(key, entry);
      return existing;
    }
    const created = new Map<string, string>();
    table.write(key, { value: created, expiresAt: null });
    return created;
  };

  const sortedSetFor = (key: string): SortedSet => {
    const entry = table.read(key);
    const existing = readSortedSet(entry);
    if (entry !== undefined && existing !== undefined) {
      table.touch(key, entry);
      return existing;
    }
    const created = new SortedSet();
    table.write(key, { value: created, expiresAt: null });
    return created;
  };

  const removeIfEmpty = (key: string, size: number) => {
    if (size === 0) table.remove(key);
  };

  return {
    get(key) {
      return readString(table.read(key)) ?? null;
    },

    set(key, value, options) {
      const expiresAt =
        options?.ttlMs === undefined ? null : table.now() + normalizeTimeToLive(options.ttlMs);
      table.write(key, { value, expiresAt });
    },

    delete(key) {
      const existed = table.read(key) !== undefined;
      table.remove(key);
      return existed;
    },

    increment(key, amount) {
      assertIntegerAmount(amount);
      const entry = table.read(key);
      const current = readString(entry);
      if (entry === undefined || current === undefined) {
        table.write(key, { value: String(amount), expiresAt: null });
        return amount;
      }
      const next = parseCounter(key, current) + amount;
      if (!Number.isSafeInteger(next)) throw new Error(`increment of key "${key}" would overflow`);
      entry.value = String(next);
      table.touch(key, entry);
      return next;
    },

    expire(key, ttlMs) {
      const entry = table.read(key);
      if (entry === undefined) return false;
      entry.expiresAt = table.now() + normalizeTimeToLive(ttlMs);
      return true;
    },

    timeToLiveMs(key) {
      const entry = table.read(key);
      if (entry === undefined || entry.expiresAt === null) return null;
      return entry.expiresAt - table.now();
    },

    hashGet(key, field) {
      return readHash(table.read(key))?.get(field) ?? null;
    },

    hashSet(key, field, value) {
      hashFor(key).set(field, value);
    },

    hashIncrement(key, field, amount) {
      assertIntegerAmount(amount);
      const current = readHash(table.read(key))?.get(field);
      const next = (current === undefined ? 0 : parseCounter(`${key}.${field}`, current)) + amount;
      if (!Number.isSafeInteger(next)) throw new Error(`increment of "${key}.${field}" would overflow`);
      hashFor(key).set(field, String(next));
      return next;
    },

    hashDelete(key, field) {
      const hash = readHash(table.read(key));
      if (hash === undefined || !hash.delete(field)) return false;
      removeIfEmpty(key, hash.size);
      return true;
    },

    sortedSetAdd(key, member, score) {
      sortedSetFor(key).add(member, score);
    },

    sortedSetRemove(key, member) {
      const set = readSortedSet(table.read(key));
      if (set === undefined || !set.remove(member)) return false;
      removeIfEmpty(key, set.size);
      return true;
    },

    sortedSetScore(key, member) {
      return readSortedSet(table.read(key))?.score(member) ?? null;
    },

    sortedSetSize(key) {
      return readSortedSet(table.read(key))?.size ?? 0;
    },

    sortedSetRange(key, start, stop, options) {
      return readSortedSet(table.read(key))?.range(start, stop, options?.reverse ?? false) ?? [];
    },

    sortedSetRangeByScore(key, min, max) {
      return readSortedSet(table.read(key))?.rangeByScore(min, max) ?? [];
    },

    sortedSetRemoveRangeByScore(key, min, max) {
      const set = readSortedSet(table.read(key));
      if (set === undefined) return 0;
      const removed = set.removeRangeByScore(min, max);
      removeIfEmpty(key, set.size);
      return removed;
    },
  };
}
