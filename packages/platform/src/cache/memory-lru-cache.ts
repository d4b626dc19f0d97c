import type { Clock } from '../support/index.ts';

/** What a stored value costs on top of its own bytes: the key, the entry and the map slot. */
const entryOverheadBytes = 96;

interface Entry<Value> {
  value: Value;
  organizationId: string;
  bytes: number;
  expiresAt: number;
}

export type EvictionReason = 'capacity' | 'expired';

export interface MemoryLruOptions {
  /** The bound on the bytes of all entries together (not on their number). */
  maxBytes: number;
  /** A larger single entry is not stored at all. */
  maxEntryBytes: number;
  clock: Clock;
  onEvict?: (reason: EvictionReason, bytes: number) => void;
}

export interface MemoryLruCache<Value> {
  get(key: string): Value | undefined;
  /** Stores `value`; false when it is too large to keep. */
  set(key: string, organizationId: string, value: Value, valueBytes: number, ttlMs: number): boolean;
  delete(key: string): boolean;
  /** Removes every entry of an organisation; returns how many there were. */
  deleteOrganization(organizationId: string): number;
  size(): { entries: number; bytes: number };
  sizeOf(organizationId: string): { entries: number; bytes: number };
}

/**
 * The L1 cache: an in-process LRU with a time to live per entry, bounded in bytes. A Map keeps
 * insertion order, so re-inserting on every hit makes its first key the least recently used.
 */
export function createMemoryLruCache<Value>(options: MemoryLruOptions): MemoryLruCache<Value> {
  const entries = new Map<string, Entry<Value>>();
  const perOrganization = new Map<string, { entries: number; bytes: number }>();
  let totalBytes = 0;

  const account = (organizationId: string, entryCount: number, bytes: number) => {
    totalBytes += bytes;
    const current = perOrganization.get(organizationId) ?? { entries: 0, bytes: 0 };
    current.entries += entryCount;
    current.bytes += bytes;
    if (current.entries <= 0) perOrganization.delete(organizationId);
    else perOrganization.set(organizationId, current);
  };

  const remove = (key: string, entry: Entry<Value>, reason: EvictionReason | null) => {
    entries.delete(key);
    account(entry.organizationId, -1, -entry.bytes);
    if (reason) options.onEvict?.(reason, entry.bytes);
  };

  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= options.clock.now()) {
        remove(key, entry, 'expired');
        return undefined;
      }
      entries.delete(key);
      entries.set(key, entry);
      return entry.value;
    },
    set(key, organizationId, value, valueBytes, ttlMs) {
      const bytes = valueBytes + key.length * 2 + entryOverheadBytes;
      const previous = entries.get(key);
      if (previous) remove(key, previous, null);
      if (bytes > options.maxEntryBytes || bytes > options.maxBytes || ttlMs <= 0) return false;
      while (totalBytes + bytes > options.maxBytes) {
        const oldest = entries.entries().next().value;
        if (!oldest) break;
        const [oldestKey, oldestEntry] = oldest;
        remove(oldestKey, oldestEntry, oldestEntry.expiresAt <= options.clock.now() ? 'expired' : 'capacity');
      }
      entries.set(key, { value, organizationId, bytes, expiresAt: options.clock.now() + ttlMs });
      account(organizationId, 1, bytes);
      return true;
    },
    delete(key) {
      const entry = entries.get(key);
      if (!entry) return false;
      remove(key, entry, null);
      return true;
    },
    deleteOrganization(organizationId) {
      let removed = 0;
      for (const [key, entry] of entries) {
        if (entry.organizationId !== organizationId) continue;
        remove(key, entry, null);
        removed += 1;
      }
      return removed;
    },
    size: () => ({ entries: entries.size, bytes: totalBytes }),
    sizeOf: (organizationId) => ({ ...(perOrganization.get(organizationId) ?? { entries: 0, bytes: 0 }) }),
  };
}
