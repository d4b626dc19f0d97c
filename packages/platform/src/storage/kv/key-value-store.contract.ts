import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAtomicOperationContract } from './atomic-operation.contract.ts';
import type { KeyValueStore } from './key-value-store.ts';

/** A fresh, empty store and a way to remove it and everything it wrote. */
export interface KeyValueStoreUnderTest {
  store: KeyValueStore;
  cleanup(): Promise<void>;
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/**
 * The behaviour every key-value backend must share. Expiry uses real time with short TTLs, so the
 * same assertions hold for Redis and for the in-process store on the system clock.
 */
export function runKeyValueStoreContract(name: string, factory: () => Promise<KeyValueStoreUnderTest>): void {
  describe(`KeyValueStore contract: ${name}`, () => {
    let underTest: KeyValueStoreUnderTest;
    let store: KeyValueStore;

    beforeEach(async () => {
      underTest = await factory();
      store = underTest.store;
    });

    afterEach(async () => {
      await underTest.cleanup();
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('returns null for a missing key and the value after set', async () => {
      expect(await store.get('missing')).toBeNull();
      await store.set('greeting', 'hello');
      expect(await store.get('greeting')).toBe('hello');
      await store.set('greeting', 'hello again');
      expect(await store.get('greeting')).toBe('hello again');
    });

    it('keeps values byte for byte, including empty and non-ASCII strings', async () => {
      await store.set('empty', '');
      await store.set('unicode', 'Grüße, 世界 🌍');
      expect(await store.get('empty')).toBe('');
      expect(await store.get('unicode')).toBe('Grüße, 世界 🌍');
    });

    it('expires a key after its TTL', async () => {
      await store.set('short', 'lived', { ttlMs: 100 });
      expect(await store.get('short')).toBe('lived');
      const remaining = await store.timeToLiveMs('short');
      expect(remaining).toBeGreaterThan(0);
      expect(remaining).toBeLessThanOrEqual(100);
      await sleep(250);
      expect(await store.get('short')).toBeNull();
      expect(await store.timeToLiveMs('short')).toBeNull();
    });

    it('clears the TTL when a key is set again without one', async () => {
      await store.set('key', 'first', { ttlMs: 100 });
      await store.set('key', 'second');
      expect(await store.timeToLiveMs('key')).toBeNull();
      await sleep(200);
      expect(await store.get('key')).toBe('second');
    });

    it('reports no TTL for a missing key or a key without expiry', async () => {
      expect(await store.timeToLiveMs('missing')).toBeNull();
      await store.set('forever', 'value');
      expect(await store.timeToLiveMs('forever')).toBeNull();
    });

    it('rejects a TTL that is not positive', async () => {
      await expect(store.set('key', 'value', { ttlMs: 0 })).rejects.toThrow(/ttlMs/);
      await expect(store.setIfAbsent('key', 'value', { ttlMs: -5 })).rejects.toThrow(/ttlMs/);
      await expect(store.increment('key', 1, { ttlMs: Number.NaN })).rejects.toThrow(/ttlMs/);
      expect(await store.get('key')).toBeNull();
    });

    it('sets only an absent key with setIfAbsent', async () => {
      expect(await store.setIfAbsent('lock', 'owner-a', { ttlMs: 10_000 })).toBe(true);
      expect(await store.setIfAbsent('lock', 'owner-b', { ttlMs: 10_000 })).toBe(false);
      expect(await store.get('lock')).toBe('owner-a');
      const remaining = await store.timeToLiveMs('lock');
      expect(remaining).toBeGreaterThan(9_000);
      expect(remaining).toBeLessThanOrEqual(10_000);
    });

    it('lets setIfAbsent take a key again once it expired', async () => {
      expect(await store.setIfAbsent('lock', 'owner-a', { ttlMs: 100 })).toBe(true);
      await sleep(250);
      expect(await store.setIfAbsent('lock', 'owner-b', { ttlMs: 1_000 })).toBe(true);
      expect(await store.get('lock')).toBe('owner-b');
    });

    it('grants setIfAbsent to exactly one of 50 concurrent callers', async () => {
      const owners = Array.from({ length: 50 }, (_, index) => `owner-${index}`);
      const results = await Promise.all(
        owners.map((owner) => store.setIfAbsent('contended', owner, { ttlMs: 10_000 })),
      );
      const winners = owners.filter((_, index) => results[index]);
      expect(winners).toHaveLength(1);
      expect(await store.get('contended')).toBe(winners[0]);
    });

    it('reports whether delete removed a key', async () => {
      await store.set('key', 'value');
      expect(await store.delete('key')).toBe(true);
      expect(await store.get('key')).toBeNull();
      expect(await store.delete('key')).toBe(false);
      expect(await store.delete('never-set')).toBe(false);
    });

    it('treats an expired key as missing for delete', async () => {
      await store.set('key', 'value', { ttlMs: 50 });
      await sleep(150);
      expect(await store.delete('key')).toBe(false);
    });

    it('increments from zero and returns the new value', async () => {
      expect(await store.increment('counter', 1)).toBe(1);
      expect(await store.increment('counter', 41)).toBe(42);
      expect(await store.get('counter')).toBe('42');
    });

    it('applies negative amounts, also to a missing key', async () => {
      expect(await store.increment('balance', 5)).toBe(5);
      expect(await store.increment('balance', -8)).toBe(-3);
      expect(await store.increment('debt', -4)).toBe(-4);
      expect(await store.increment('debt', 0)).toBe(-4);
    });

    it('counts 200 concurrent increments exactly', async () => {
      const results = await Promise.all(Array.from({ length: 200 }, () => store.increment('hits', 1)));
      expect(await store.get('hits')).toBe('200');
      // Every caller saw a different intermediate value: no two increments read the same state.
      expect(new Set(results).size).toBe(200);
      await Promise.all(
        Array.from({ length: 200 }, (_, index) => store.increment('mixed', index % 2 === 0 ? 3 : -1)),
      );
      expect(await store.get('mixed')).toBe(String(100 * 3 - 100));
    });

    it('sets the TTL only when the increment created the key', async () => {
      await store.increment('window', 1, { ttlMs: 10_000 });
      const first = await store.timeToLiveMs('window');
      expect(first).toBeGreaterThan(9_000);
      await sleep(30);
      await store.increment('window', 1, { ttlMs: 60_000 });
      const second = await store.timeToLiveMs('window');
      expect(second).toBeLessThanOrEqual(first!);

      await store.set('no-expiry', '0');
      expect(await store.increment('no-expiry', 5, { ttlMs: 10_000 })).toBe(5);
      expect(await store.timeToLiveMs('no-expiry')).toBeNull();

      await store.set('was-one', '1');
      expect(await store.increment('was-one', -1, { ttlMs: 10_000 })).toBe(0);
      expect(await store.increment('was-one', -1, { ttlMs: 10_000 })).toBe(-1);
      expect(await store.timeToLiveMs('was-one')).toBeNull();
    });

    it('sets the TTL when a negative increment creates the key', async () => {
      expect(await store.increment('created-negative', -2, { ttlMs: 10_000 })).toBe(-2);
      expect(await store.timeToLiveMs('created-negative')).toBeGreaterThan(9_000);
    });

    it('starts a counter over after it expired', async () => {
      await store.increment('window', 7, { ttlMs: 100 });
      await sleep(250);
      expect(await store.increment('window', 2, { ttlMs: 100 })).toBe(2);
    });

    it('rejects a non-integer amount and a non-integer value', async () => {
      await expect(store.increment('counter', 1.5)).rejects.toThrow(/integer/);
      await expect(store.increment('counter', Number.POSITIVE_INFINITY)).rejects.toThrow(/integer/);
      expect(await store.get('counter')).toBeNull();
      await store.set('text', 'not a number');
      await expect(store.increment('text', 1)).rejects.toThrow(/integer/);
      expect(await store.get('text')).toBe('not a number');
    });

    it('deletes with compareAndDelete only when the value matches', async () => {
      await store.set('lock', 'owner-a', { ttlMs: 10_000 });
      expect(await store.compareAndDelete('lock', 'owner-b')).toBe(false);
      expect(await store.get('lock')).toBe('owner-a');
      expect(await store.compareAndDelete('lock', 'owner-a')).toBe(true);
      expect(await store.get('lock')).toBeNull();
      expect(await store.compareAndDelete('lock', 'owner-a')).toBe(false);
    });

    it('releases a lock to exactly one of many concurrent compareAndDelete callers', async () => {
      await store.set('lock', 'owner', { ttlMs: 10_000 });
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store.compareAndDelete('lock', 'owner')),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    runAtomicOperationContract(() => store);
  });
}
