import { describe, expect, it } from 'vitest';
import { createManualClock } from '../support/index.ts';
import { createMemoryLruCache, type EvictionReason } from './memory-lru-cache.ts';

function cache(maxBytes: number, maxEntryBytes = maxBytes) {
  const clock = createManualClock();
  const evictions: EvictionReason[] = [];
  const lru = createMemoryLruCache<string>({
    maxBytes,
    maxEntryBytes,
    clock,
    onEvict: (reason) => evictions.push(reason),
  });
  return { clock, lru, evictions };
}

// Each entry below costs 1000 bytes of value + 2 bytes per key character + 96 bytes of overhead.
const entryBytes = 1000 + 2 + 96;

describe('L1 memory LRU', () => {
  it('is bounded in bytes and evicts the least recently used first', () => {
    const { lru, evictions } = cache(entryBytes * 3);
    lru.set('a', 'org', 'A', 1000, 60_000);
    lru.set('b', 'org', 'B', 1000, 60_000);
    lru.set('c', 'org', 'C', 1000, 60_000);
    expect(lru.get('a')).toBe('A');
    lru.set('d', 'org', 'D', 1000, 60_000);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe('A');
    expect(lru.size()).toEqual({ entries: 3, bytes: entryBytes * 3 });
    expect(evictions).toEqual(['capacity']);
  });

  it('evicts as many small entries as one large one needs, and refuses oversized entries', () => {
    const { lru } = cache(entryBytes * 4, 2500);
    for (const key of ['a', 'b', 'c', 'd']) lru.set(key, 'org', key, 1000, 60_000);
    expect(lru.set('e', 'org', 'E', 2000, 60_000)).toBe(true);
    expect(lru.size().entries).toBe(3);
    expect(lru.get('a')).toBeUndefined();
    expect(lru.get('b')).toBeUndefined();
    expect(lru.set('huge', 'org', 'H', 3000, 60_000)).toBe(false);
    expect(lru.get('huge')).toBeUndefined();
  });

  it('expires entries after their time to live', () => {
    const { lru, clock, evictions } = cache(100_000);
    lru.set('a', 'org', 'A', 10, 1000);
    clock.advance(999);
    expect(lru.get('a')).toBe('A');
    clock.advance(1);
    expect(lru.get('a')).toBeUndefined();
    expect(evictions).toEqual(['expired']);
    expect(lru.size()).toEqual({ entries: 0, bytes: 0 });
  });

  it('replaces an entry in place and purges one organisation only', () => {
    const { lru } = cache(100_000);
    lru.set('a', 'one', 'A', 10, 1000);
    lru.set('a', 'one', 'A2', 20, 1000);
    lru.set('b', 'two', 'B', 10, 1000);
    expect(lru.get('a')).toBe('A2');
    expect(lru.sizeOf('one')).toEqual({ entries: 1, bytes: 20 + 2 + 96 });
    expect(lru.deleteOrganization('one')).toBe(1);
    expect(lru.get('a')).toBeUndefined();
    expect(lru.get('b')).toBe('B');
    expect(lru.sizeOf('one')).toEqual({ entries: 0, bytes: 0 });
  });
});
