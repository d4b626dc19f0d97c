import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteRedisKeysWithPrefix, unusedPort } from '../../test/support/redis-test-support.ts';
import { redisAvailable, testRedisUrl, uniqueRedisPrefix } from '../../test/support/services.ts';
import {
  createKeyValueStore,
  createMemoryKeyValueStore,
  createRedisKeyValueStore,
  type KeyValueStore,
} from '../storage/kv/index.ts';
import { createManualClock } from '../support/index.ts';
import { createKeyValueAnswerStore } from './key-value-answer-store.ts';

const redis = await redisAvailable();

describe.runIf(redis)('L2 answer store on Redis', () => {
  const prefix = uniqueRedisPrefix('answer-store');
  let store: KeyValueStore;

  beforeAll(() => {
    store = createKeyValueStore({ redisUrl: testRedisUrl, keyPrefix: prefix });
  });

  afterAll(async () => {
    await store?.close();
    await deleteRedisKeysWithPrefix(testRedisUrl, prefix);
  });

  it('stores with a TTL and purges an organisation by its generation only', async () => {
    const clock = createManualClock(Date.now());
    const answers = createKeyValueAnswerStore({ keyValueStore: store, clock, retryAfterMs: () => 1000 });
    expect(answers.shared).toBe(true);
    expect(await answers.set('one', 'k', 'A', 60_000)).toBe(true);
    expect(await answers.set('two', 'k', 'B', 60_000)).toBe(true);
    expect(await answers.get('one', 'k')).toBe('A');
    expect(await answers.purge('one')).toBe(true);
    expect(await answers.get('one', 'k')).toBeNull();
    expect(await answers.get('two', 'k')).toBe('B');
    // Another replica that trusted the old generation learns of the purge when told to forget it.
    const other = createKeyValueAnswerStore({ keyValueStore: store, clock, retryAfterMs: () => 1000 });
    expect(await other.get('one', 'k')).toBeNull();
  });

  it('hands the fill lock to one replica at a time', async () => {
    const clock = createManualClock(Date.now());
    const first = createKeyValueAnswerStore({ keyValueStore: store, clock, retryAfterMs: () => 1000 });
    const second = createKeyValueAnswerStore({ keyValueStore: store, clock, retryAfterMs: () => 1000 });
    const lock = await first.lock('one', 'lock-key', 5000);
    expect(lock.state).toBe('acquired');
    expect(await second.lock('one', 'lock-key', 5000)).toEqual({ state: 'held' });
    expect(await second.locked('one', 'lock-key')).toBe(true);
    if (lock.state === 'acquired') await first.unlock('one', 'lock-key', lock.token);
    expect(await second.locked('one', 'lock-key')).toBe(false);
    expect((await second.lock('one', 'lock-key', 5000)).state).toBe('acquired');
  });
});

describe('L2 answer store when it cannot help', () => {
  it('answers as a miss, counts the failure and skips the store for a while', async () => {
    const clock = createManualClock(Date.now());
    const unreachable = createRedisKeyValueStore({
      url: `redis://127.0.0.1:${await unusedPort()}`,
      timeoutMs: 200,
    });
    const failures: string[] = [];
    const answers = createKeyValueAnswerStore({
      keyValueStore: unreachable,
      clock,
      retryAfterMs: () => 2000,
      onFailure: (operation) => failures.push(operation),
    });
    try {
      expect(await answers.get('one', 'k')).toBeNull();
      expect(failures).toEqual(['get']);
      expect(answers.healthy()).toBe(false);
      expect(await answers.set('one', 'k', 'A', 1000)).toBe(false);
      expect(await answers.lock('one', 'k', 1000)).toEqual({ state: 'unavailable' });
      expect(failures).toEqual(['get']);
      clock.advance(2000);
      expect(answers.healthy()).toBe(true);
      expect(await answers.get('one', 'k')).toBeNull();
      expect(failures).toEqual(['get', 'get']);
    } finally {
      await unreachable.close();
    }
  });

  it('is not used on the in-process kv, whose process L1 already covers', async () => {
    const answers = createKeyValueAnswerStore({
      keyValueStore: createMemoryKeyValueStore({}),
      clock: createManualClock(),
      retryAfterMs: () => 1000,
    });
    expect(answers.shared).toBe(false);
    expect(await answers.set('one', 'k', 'A', 1000)).toBe(false);
    expect(await answers.get('one', 'k')).toBeNull();
  });
});
