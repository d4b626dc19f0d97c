import { afterAll, describe, expect, it } from 'vitest';
import { deleteRedisKeysWithPrefix } from '../../../test/support/redis-test-support.ts';
import { redisAvailable, testRedisUrl, uniqueRedisPrefix } from '../../../test/support/services.ts';
import {
  createMemoryKeyValueStore,
  createRedisKeyValueStore,
  type KeyValueStore,
} from '../../storage/kv/index.ts';
import { createManualClock, type ManualClock } from '../../support/index.ts';
import { createPendingSignIns, type PendingSignIn } from './pending-sign-ins.ts';

function pendingAt(clock: ManualClock, ttlMs = 600_000): PendingSignIn {
  return {
    organizationId: 'org_a',
    issuer: 'https://login.example.com/tenant/v2.0',
    clientId: 'client',
    redirectUri: 'https://kimi.example.com/cb',
    nonce: 'nonce-value',
    codeVerifier: 'verifier-value',
    browserBindingHash: 'hash',
    returnTo: null,
    startedAt: clock.now(),
    expiresAt: clock.now() + ttlMs,
  };
}

function runPendingSignInSuite(
  name: string,
  open: (clock: ManualClock) => Promise<{ store: KeyValueStore; close(): Promise<void> }>,
) {
  describe(`pending sign-ins on the ${name} key-value store`, () => {
    it('returns a saved sign-in once, then never again', async () => {
      const clock = createManualClock(Date.now());
      const { store, close } = await open(clock);
      try {
        const pending = createPendingSignIns(store, clock);
        const saved = pendingAt(clock);
        await pending.save('state-1', saved);
        expect(await store.get('sso:sign-in:state-1')).toBeNull();
        expect(await pending.consume('state-1')).toEqual(saved);
        expect(await pending.consume('state-1')).toBeNull();
        expect(await pending.consume('never-saved')).toBeNull();
      } finally {
        await close();
      }
    });

    it('lets exactly one of several racing callbacks have it', async () => {
      const clock = createManualClock(Date.now());
      const { store, close } = await open(clock);
      try {
        const pending = createPendingSignIns(store, clock);
        await pending.save('state-race', pendingAt(clock));
        const outcomes = await Promise.all(Array.from({ length: 8 }, () => pending.consume('state-race')));
        expect(outcomes.filter((outcome) => outcome !== null)).toHaveLength(1);
      } finally {
        await close();
      }
    });

    it('refuses a sign-in past its expiry', async () => {
      const clock = createManualClock(Date.now());
      const { store, close } = await open(clock);
      try {
        const pending = createPendingSignIns(store, clock);
        await pending.save('state-old', pendingAt(clock, 60_000));
        clock.advance(60_001);
        expect(await pending.consume('state-old')).toBeNull();
      } finally {
        await close();
      }
    });
  });
}

runPendingSignInSuite('in-process', async (clock) => {
  const store = createMemoryKeyValueStore({ clock });
  return { store, close: () => store.close() };
});

const redis = await redisAvailable();
const prefix = uniqueRedisPrefix('pending-sign-ins');

describe.runIf(redis)('on Redis', () => {
  afterAll(async () => {
    await deleteRedisKeysWithPrefix(testRedisUrl, prefix);
  });
  runPendingSignInSuite('Redis', async () => {
    const store = createRedisKeyValueStore({ url: testRedisUrl, keyPrefix: prefix });
    return { store, close: () => store.close() };
  });
});
