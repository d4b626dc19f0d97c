import { createServer, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import {
  deleteRedisKeysWithPrefix,
  retryUntilResolved,
  startRedisOutageProxy,
  unusedPort,
} from '../../../test/support/redis-test-support.ts';
import { redisAvailable, testRedisUrl, uniqueRedisPrefix } from '../../../test/support/services.ts';
import { runKeyValueStoreContract } from './key-value-store.contract.ts';
import { createRedisKeyValueStore } from './redis-key-value-store.ts';

const redis = await redisAvailable();
const suitePrefix = uniqueRedisPrefix('key-value');
let storeCount = 0;

describe.runIf(redis)('redis key-value store', () => {
  afterAll(async () => {
    expect(await deleteRedisKeysWithPrefix(testRedisUrl, suitePrefix)).toBe(0);
  });

  runKeyValueStoreContract('redis', async () => {
    storeCount += 1;
    const keyPrefix = `${suitePrefix}${storeCount}:`;
    const store = createRedisKeyValueStore({ url: testRedisUrl, keyPrefix });
    return {
      store,
      async cleanup() {
        await store.close();
        await deleteRedisKeysWithPrefix(testRedisUrl, keyPrefix);
      },
    };
  });

  it('prefixes every key', async () => {
    const keyPrefix = `${suitePrefix}prefixed:`;
    const first = createRedisKeyValueStore({ url: testRedisUrl, keyPrefix: `${keyPrefix}one:` });
    const second = createRedisKeyValueStore({ url: testRedisUrl, keyPrefix: `${keyPrefix}two:` });
    await first.set('shared-name', 'first');
    expect(await second.get('shared-name')).toBeNull();
    await Promise.all([first.close(), second.close()]);
    expect(await deleteRedisKeysWithPrefix(testRedisUrl, keyPrefix)).toBe(1);
  });

  it('is created without throwing and rejects within about a second when Redis is unreachable', async () => {
    const store = createRedisKeyValueStore({ url: `redis://127.0.0.1:${await unusedPort()}` });
    const started = performance.now();
    await expect(store.ping()).rejects.toThrow();
    await expect(store.get('key')).rejects.toThrow();
    await expect(store.increment('key', 1)).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(1_500);
    await store.close();
  });

  it('rejects within about a second when the server accepts connections but never answers', async () => {
    const accepted = new Set<Socket>();
    const silent = createServer((socket) => accepted.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    if (address === null || typeof address === 'string') throw new Error('no port was assigned');
    const store = createRedisKeyValueStore({ url: `redis://127.0.0.1:${address.port}` });
    const started = performance.now();
    await expect(store.ping()).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(1_500);
    await store.close();
    for (const socket of accepted) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('fails fast while Redis is down and recovers on its own when it returns', async () => {
    const proxy = await startRedisOutageProxy(testRedisUrl);
    const store = createRedisKeyValueStore({ url: proxy.url, keyPrefix: `${suitePrefix}outage:` });
    await store.set('before', 'outage');

    await proxy.stop();
    const started = performance.now();
    await expect(store.ping()).rejects.toThrow();
    await expect(store.get('before')).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(1_500);

    await proxy.start();
    const recoveryMs = await retryUntilResolved(() => store.ping(), 5_000);
    expect(recoveryMs).toBeLessThan(3_000);
    expect(await store.get('before')).toBe('outage');
    await store.close();
    await proxy.stop();
    await deleteRedisKeysWithPrefix(testRedisUrl, `${suitePrefix}outage:`);
  });
});
