import { describe, expect, it } from 'vitest';
import { createMemoryKeyValueStore, type KeyValueStore } from '../storage/kv/index.ts';
import { createManualClock, systemClock } from '../support/index.ts';
import { createCircuitBreakers } from './circuit-breaker.ts';
import { runCircuitBreakerContract } from './circuit-breakers.contract.ts';
import type { CircuitBreakerSettings } from './resilience-types.ts';

runCircuitBreakerContract('memory store (exact, immediate)', async (clock) => {
  const store = createMemoryKeyValueStore({ clock });
  return { connect: () => store, expiresInRealTime: false, cleanup: () => store.close() };
});

runCircuitBreakerContract(
  'memory store presented as shared (local snapshot, background writes)',
  async (clock) => {
    const store = createMemoryKeyValueStore({ clock });
    return {
      connect: () => presentedAsShared(store),
      expiresInRealTime: false,
      cleanup: () => store.close(),
    };
  },
);

/** The same store under the `redis` flag, which switches the breakers to their shared-store mode. */
function presentedAsShared(store: KeyValueStore): KeyValueStore {
  return { ...store, backend: 'redis', shared: true };
}

interface ObservedStore {
  store: KeyValueStore;
  calls: string[];
  /** While held, increments wait until `release()`. */
  hold(): void;
  release(): void;
}

/** Records every call to a shared-mode store and can hold increments back, like a slow Redis. */
function observed(inner: KeyValueStore): ObservedStore {
  const calls: string[] = [];
  let gate: Promise<void> | null = null;
  let open = () => {};
  const store: KeyValueStore = {
    ...presentedAsShared(inner),
    async get(key) {
      calls.push(`get ${key}`);
      return inner.get(key);
    },
    async increment(key, amount, options) {
      calls.push(`increment ${key}`);
      if (gate !== null) await gate;
      return inner.increment(key, amount, options);
    },
  };
  return {
    store,
    calls,
    hold() {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    release() {
      open();
      gate = null;
    },
  };
}

const settings: CircuitBreakerSettings = {
  windowMs: 10_000,
  minimumRequests: 4,
  failureRatio: 0.5,
  cooldownMs: 5_000,
  halfOpenProbes: 1,
};

describe('createCircuitBreakers on a shared store', () => {
  it('answers acquire from its local copy while closed, refreshing at most every syncIntervalMs', async () => {
    const clock = createManualClock();
    const { store, calls } = observed(createMemoryKeyValueStore({ clock }));
    const breakers = createCircuitBreakers({ settingsFor: () => settings, clock, keyValueStore: store });
    await breakers.acquire('a');
    expect(calls).toEqual(['get circuit-breaker:open-until:a']);
    calls.length = 0;
    for (let index = 0; index < 1_000; index++) await breakers.acquire('a');
    clock.advance(249);
    await breakers.acquire('a');
    expect(calls).toEqual([]);
    clock.advance(1);
    await breakers.acquire('a');
    await breakers.acquire('a');
    await breakers.flush();
    expect(calls).toEqual(['get circuit-breaker:open-until:a']);
    await breakers.close();
  });

  it('returns from record before the store has answered, and flush waits for it', async () => {
    const clock = createManualClock();
    const observation = observed(createMemoryKeyValueStore({ clock }));
    const breakers = createCircuitBreakers({
      settingsFor: () => settings,
      clock,
      keyValueStore: observation.store,
    });
    observation.hold();
    for (let index = 0; index < 4; index++) {
      const permit = await breakers.acquire('a');
      await breakers.record('a', 'failure', permit);
    }
    expect((await breakers.snapshot('a')).requests).toBe(0);
    let flushed = false;
    const flushing = breakers.flush().then(() => {
      flushed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(flushed).toBe(false);
    observation.release();
    await flushing;
    expect(await breakers.snapshot('a')).toMatchObject({ state: 'open', requests: 4, failures: 4 });
    expect((await breakers.acquire('a')).allowed).toBe(false);
    await breakers.close();
  });

  it('reads a past bucket again only while it may change, at most once per sync interval', async () => {
    const start = 1_700_000_000_000;
    const clock = createManualClock(start);
    const { store, calls } = observed(createMemoryKeyValueStore({ clock }));
    const breakers = createCircuitBreakers({ settingsFor: () => settings, clock, keyValueStore: store });
    const bucket = (second: number) => `get circuit-breaker:window:1000:${start / 1_000 + second}:a`;
    const recordSuccesses = async (count: number) => {
      for (let index = 0; index < count; index++)
        await breakers.record('a', 'success', await breakers.acquire('a'));
      await breakers.flush();
    };
    for (let second = 0; second < 10; second += 2) {
      clock.advance(second === 0 ? 0 : 2_000);
      await recordSuccesses(1);
    }
    clock.advance(2_000);
    const windowReads = () => calls.filter((call) => call.startsWith('get circuit-breaker:window'));
    calls.length = 0;
    // At 10 s: buckets 8 and 9 were never read, and bucket 7 had only just ended when it was; 100
    // concurrent records share one read of each.
    await recordSuccesses(100);
    expect(windowReads()).toEqual([bucket(7), bucket(8), bucket(9)]);
    expect(calls.filter((call) => call.startsWith('increment'))).toHaveLength(100);
    // At 10.25 s bucket 8 is final; bucket 9 ended too recently and is read once more.
    calls.length = 0;
    clock.advance(250);
    await recordSuccesses(100);
    expect(windowReads()).toEqual([bucket(9)]);
    // At 11.25 s bucket 10 is new to the cache and bucket 9 still was not final when last read.
    calls.length = 0;
    clock.advance(1_000);
    await recordSuccesses(100);
    expect(windowReads()).toEqual([bucket(9), bucket(10)]);
    calls.length = 0;
    clock.advance(100);
    await recordSuccesses(100);
    expect(windowReads()).toEqual([]);
    // The window now covers seconds 2 to 11: the record at second 0 has left it.
    expect((await breakers.snapshot('a')).requests).toBe(404);
    await breakers.close();
  });
});

describe('createCircuitBreakers when the store fails', () => {
  const failing = (backend: 'memory' | 'redis') => {
    const store = createMemoryKeyValueStore();
    void store.close();
    return { ...store, backend } satisfies KeyValueStore;
  };

  for (const backend of ['memory', 'redis'] as const) {
    it(`(${backend}) keeps allowing calls, and reports every failure`, async () => {
      const reported: Array<{ operation: string; deployment: string }> = [];
      const breakers = createCircuitBreakers({
        settingsFor: () => settings,
        clock: createManualClock(),
        keyValueStore: failing(backend),
        onError: (_error, context) => reported.push(context),
      });
      const permit = await breakers.acquire('a');
      expect(permit).toEqual({ allowed: true, state: 'closed', probe: false });
      await expect(breakers.record('a', 'failure', permit)).resolves.toBeUndefined();
      await breakers.flush();
      expect(reported).toContainEqual({ operation: 'refresh', deployment: 'a' });
      expect(reported).toContainEqual({ operation: 'record', deployment: 'a' });
      await expect(breakers.snapshot('a')).rejects.toThrow(/closed/);
      await breakers.close();
    });
  }
});

describe('createCircuitBreakers lifecycle and settings', () => {
  it('rejects acquire after close and drops late records', async () => {
    const clock = createManualClock();
    const store = createMemoryKeyValueStore({ clock });
    const breakers = createCircuitBreakers({ settingsFor: () => settings, clock, keyValueStore: store });
    const permit = await breakers.acquire('a');
    await breakers.close();
    await expect(breakers.acquire('a')).rejects.toThrow(/closed/);
    await expect(breakers.record('a', 'failure', permit)).resolves.toBeUndefined();
    await store.close();
  });

  it('rejects settings it cannot follow', async () => {
    const clock = createManualClock();
    const store = createMemoryKeyValueStore({ clock });
    const invalid: Array<[Partial<CircuitBreakerSettings>, RegExp]> = [
      [{ windowMs: 0 }, /windowMs/],
      [{ cooldownMs: -1 }, /cooldownMs/],
      [{ minimumRequests: 0 }, /minimumRequests/],
      [{ failureRatio: 0 }, /failureRatio/],
      [{ failureRatio: 1.5 }, /failureRatio/],
      [{ halfOpenProbes: 0.5 }, /halfOpenProbes/],
    ];
    for (const [change, message] of invalid) {
      const breakers = createCircuitBreakers({
        settingsFor: () => ({ ...settings, ...change }),
        clock,
        keyValueStore: store,
      });
      await expect(breakers.acquire('a')).rejects.toThrow(message);
      await breakers.close();
    }
    await store.close();
  });

  it('works on real time with the system clock', async () => {
    const store = createMemoryKeyValueStore();
    const breakers = createCircuitBreakers({
      settingsFor: () => ({ ...settings, cooldownMs: 60, minimumRequests: 2 }),
      clock: systemClock,
      keyValueStore: store,
    });
    await breakers.record('a', 'failure', await breakers.acquire('a'));
    await breakers.record('a', 'failure', await breakers.acquire('a'));
    expect((await breakers.acquire('a')).state).toBe('open');
    await new Promise((resolve) => setTimeout(resolve, 80));
    const probe = await breakers.acquire('a');
    expect(probe).toEqual({ allowed: true, state: 'half-open', probe: true });
    await breakers.record('a', 'success', probe);
    expect((await breakers.acquire('a')).state).toBe('closed');
    await breakers.close();
    await store.close();
  });
});
