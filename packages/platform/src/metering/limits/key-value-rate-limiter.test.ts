import { afterAll, describe, expect, it } from 'vitest';
import { deleteRedisKeysWithPrefix } from '../../../test/support/redis-test-support.ts';
import { redisAvailable, testRedisUrl, uniqueRedisPrefix } from '../../../test/support/services.ts';
import { createMemoryKeyValueStore, createRedisKeyValueStore } from '../../storage/kv/index.ts';
import { createKeyValueRateLimiter } from './key-value-rate-limiter.ts';
import { runRateLimiterContract } from './rate-limiter.contract.ts';
import { createManualClock } from './test-clock.ts';

runRateLimiterContract('key-value, in process', async (clock) => {
  const keyValueStore = createMemoryKeyValueStore({ clock });
  return {
    limiters: [createKeyValueRateLimiter({ keyValueStore, clock })],
    cleanup: () => keyValueStore.close(),
  };
});

describe('key-value rate limiter in process', () => {
  it('lets a rule’s keys expire once its newest charge has left the window', async () => {
    const clock = createManualClock(Date.UTC(2026, 10, 24));
    const keyValueStore = createMemoryKeyValueStore({ clock });
    const limiter = createKeyValueRateLimiter({ keyValueStore, clock });
    const rule = {
      key: 'org:requests',
      kind: 'requests',
      scope: 'organization',
      limit: 5,
      windowMs: 10_000,
      cost: 1,
    } as const;
    await limiter.check([rule]);
    await limiter.acquireSlots([{ key: 'org:slots', scope: 'organization', limit: 1 }], 'lease', 5_000);
    expect(await keyValueStore.timeToLiveMs('rate:org:requests:10000')).toBe(11_000);
    expect(await keyValueStore.timeToLiveMs('rate:org:requests:10000:log')).toBe(11_000);
    expect(await keyValueStore.timeToLiveMs('slots:org:slots')).toBe(6_000);
    clock.advance(11_000);
    expect(await keyValueStore.timeToLiveMs('rate:org:requests:10000')).toBeNull();
    expect(await keyValueStore.timeToLiveMs('rate:org:requests:10000:log')).toBeNull();
    expect(await keyValueStore.timeToLiveMs('slots:org:slots')).toBeNull();
    await keyValueStore.close();
  });
});

const redis = await redisAvailable();
const suitePrefix = uniqueRedisPrefix('rate-limiter');
let limiterCount = 0;

describe.runIf(redis)('key-value rate limiter on Redis', () => {
  afterAll(async () => {
    expect(await deleteRedisKeysWithPrefix(testRedisUrl, suitePrefix)).toBe(0);
  });

  runRateLimiterContract('key-value, Redis with four clients', async (clock) => {
    limiterCount += 1;
    const keyPrefix = `${suitePrefix}${limiterCount}:`;
    // why: four clients act as four replicas, so concurrency crosses connections as in production.
    const stores = Array.from({ length: 4 }, () =>
      createRedisKeyValueStore({ url: testRedisUrl, keyPrefix }),
    );
    return {
      limiters: stores.map((keyValueStore) => createKeyValueRateLimiter({ keyValueStore, clock })),
      async cleanup() {
        await Promise.all(stores.map((store) => store.close()));
        await deleteRedisKeysWithPrefix(testRedisUrl, keyPrefix);
      },
    };
  });
});
