import { describe, expect, it } from 'vitest';
import type { Clock } from '../../support/index.ts';
import { runKeyValueStoreContract } from './key-value-store.contract.ts';
import { createMemoryKeyValueStore } from './memory-key-value-store.ts';

runKeyValueStoreContract('memory', async () => {
  const store = createMemoryKeyValueStore();
  return { store, cleanup: () => store.close() };
});

function manualClock(start = 1_000_000): Clock & { advance(milliseconds: number): void } {
  let time = start;
  return {
    now: () => time,
    sleep: async (milliseconds) => {
      time += milliseconds;
    },
    advance(milliseconds) {
      time += milliseconds;
    },
  };
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

describe('memory key-value store', () => {
  it('expires keys by the injected clock', async () => {
    const clock = manualClock();
    const store = createMemoryKeyValueStore({ clock });
    await store.set('key', 'value', { ttlMs: 1_000 });
    clock.advance(999);
    expect(await store.get('key')).toBe('value');
    expect(await store.timeToLiveMs('key')).toBe(1);
    clock.advance(1);
    expect(await store.get('key')).toBeNull();
    expect(await store.setIfAbsent('key', 'again', { ttlMs: 10 })).toBe(true);
    await store.close();
  });

  it('evicts the oldest-inserted key beyond maxEntries', async () => {
    const store = createMemoryKeyValueStore({ maxEntries: 3 });
    await store.set('a', '1');
    await store.set('b', '2');
    await store.set('c', '3');
    await store.set('a', '1 again');
    await store.set('d', '4');
    expect(await store.get('b')).toBeNull();
    expect(await store.get('a')).toBe('1 again');
    expect(await store.get('c')).toBe('3');
    expect(await store.get('d')).toBe('4');
    await store.close();
  });

  it('sweeps expired keys periodically, so they no longer push live keys out', async () => {
    const clock = manualClock();
    const store = createMemoryKeyValueStore({ clock, maxEntries: 3, sweepIntervalMs: 10 });
    await store.set('live', 'kept');
    await store.set('expiring-1', 'x', { ttlMs: 5 });
    await store.set('expiring-2', 'x', { ttlMs: 5 });
    clock.advance(10);
    await sleep(40);
    await store.set('new-1', 'y');
    await store.set('new-2', 'y');
    expect(await store.get('live')).toBe('kept');
    await store.close();
  });

  it('rejects calls after close', async () => {
    const store = createMemoryKeyValueStore();
    await store.close();
    await expect(store.get('key')).rejects.toThrow(/closed/);
  });

  it('rejects a maxEntries that is not a positive integer', () => {
    expect(() => createMemoryKeyValueStore({ maxEntries: 0 })).toThrow(/maxEntries/);
  });
});
