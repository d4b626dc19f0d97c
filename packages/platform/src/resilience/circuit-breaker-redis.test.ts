import { afterAll, describe, expect, it } from 'vitest';
import { deleteRedisKeysWithPrefix } from '../../test/support/redis-test-support.ts';
import { redisAvailable, testRedisUrl, uniqueRedisPrefix } from '../../test/support/services.ts';
import { createRedisKeyValueStore, type KeyValueStore } from '../storage/kv/index.ts';
import { systemClock } from '../support/index.ts';
import { createCircuitBreakers } from './circuit-breaker.ts';
import { runCircuitBreakerContract } from './circuit-breakers.contract.ts';

const redis = await redisAvailable();
const suitePrefix = uniqueRedisPrefix('circuit-breaker');
let backendCount = 0;

describe.runIf(redis)('circuit breakers on Redis', () => {
  afterAll(async () => {
    expect(await deleteRedisKeysWithPrefix(testRedisUrl, suitePrefix)).toBe(0);
  });

  runCircuitBreakerContract('redis (one client per instance)', async () => {
    backendCount += 1;
    const keyPrefix = `${suitePrefix}${backendCount}:`;
    const connections: KeyValueStore[] = [];
    return {
      connect() {
        const store = createRedisKeyValueStore({ url: testRedisUrl, keyPrefix });
        connections.push(store);
        return store;
      },
      expiresInRealTime: true,
      async cleanup() {
        await Promise.all(connections.map((store) => store.close()));
        await deleteRedisKeysWithPrefix(testRedisUrl, keyPrefix);
      },
    };
  });

  it('two replicas on the system clock share an open breaker within the sync interval', async () => {
    const keyPrefix = `${suitePrefix}real-time:`;
    const stores = [0, 1].map(() => createRedisKeyValueStore({ url: testRedisUrl, keyPrefix }));
    const settings = {
      windowMs: 10_000,
      minimumRequests: 3,
      failureRatio: 0.5,
      cooldownMs: 60_000,
      halfOpenProbes: 1,
    };
    const [first, second] = stores.map((keyValueStore) =>
      createCircuitBreakers({
        settingsFor: () => settings,
        clock: systemClock,
        keyValueStore,
        syncIntervalMs: 50,
      }),
    );
    expect((await second!.acquire('real')).allowed).toBe(true);
    for (let index = 0; index < 3; index++) {
      await first!.record('real', 'failure', await first!.acquire('real'));
    }
    await first!.flush();
    expect((await first!.acquire('real')).state).toBe('open');

    const started = performance.now();
    while ((await second!.acquire('real')).allowed) {
      expect(performance.now() - started).toBeLessThan(1_000);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(performance.now() - started).toBeLessThan(200);
    expect(await second!.snapshot('real')).toMatchObject({ state: 'open', requests: 3, failures: 3 });

    await Promise.all([first!.close(), second!.close()]);
    await Promise.all(stores.map((store) => store.close()));
    await deleteRedisKeysWithPrefix(testRedisUrl, keyPrefix);
  });

  it('keeps its keys under the prefix with time limits', async () => {
    const keyPrefix = `${suitePrefix}ttl:`;
    const keyValueStore = createRedisKeyValueStore({ url: testRedisUrl, keyPrefix });
    const settings = {
      windowMs: 10_000,
      minimumRequests: 1,
      failureRatio: 0.5,
      cooldownMs: 5_000,
      halfOpenProbes: 1,
    };
    const breakers = createCircuitBreakers({
      settingsFor: () => settings,
      clock: systemClock,
      keyValueStore,
    });
    await breakers.record('ttl', 'failure', await breakers.acquire('ttl'));
    await breakers.flush();
    const { Redis } = await import('ioredis');
    const client = new Redis(testRedisUrl);
    const [, scanned] = await client.scan('0', 'MATCH', `${keyPrefix}*`, 'COUNT', 1_000);
    const keys = scanned.sort();
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/circuit-breaker:open-until:ttl$/);
    expect(keys[1]).toMatch(/circuit-breaker:window:1000:\d+:ttl$/);
    for (const key of keys) expect(await client.pttl(key)).toBeGreaterThan(0);
    client.disconnect();
    await breakers.close();
    await keyValueStore.close();
    await deleteRedisKeysWithPrefix(testRedisUrl, keyPrefix);
  });
});
