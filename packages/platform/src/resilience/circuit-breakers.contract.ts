import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeyValueStore } from '../storage/kv/index.ts';
import { createManualClock, type ManualClock } from '../support/index.ts';
import { createBreakerStore } from './breaker-store.ts';
import { createCircuitBreakers, type KeyValueCircuitBreakers } from './circuit-breaker.ts';
import type { BreakerPermit, CircuitBreakerSettings } from './resilience-types.ts';

/** A kv backend for the breaker suite, on the suite's clock. */
export interface BreakerBackendUnderTest {
  /** A connection to the shared state (a replica's own client, for Redis). */
  connect(): KeyValueStore;
  /** True when keys expire in real time (Redis) rather than on the suite's clock. */
  expiresInRealTime: boolean;
  /** Closes every connection and removes every key. */
  cleanup(): Promise<void>;
}

const syncIntervalMs = 250;
const probeLeaseMs = 300;
const baseSettings: CircuitBreakerSettings = {
  windowMs: 10_000,
  minimumRequests: 4,
  failureRatio: 0.5,
  cooldownMs: 5_000,
  halfOpenProbes: 2,
};

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/**
 * The behaviour every kv backend must give the breakers, on a manual clock. Calls `flush()` after
 * each record, which is a no-op for the memory store and waits for the background writes of a
 * shared one; a second breaker instance stands for another replica.
 */
export function runCircuitBreakerContract(
  name: string,
  factory: (clock: ManualClock) => Promise<BreakerBackendUnderTest>,
): void {
  describe(`CircuitBreakers contract: ${name}`, () => {
    let clock: ManualClock;
    let backend: BreakerBackendUnderTest;
    let settings: CircuitBreakerSettings;
    let errors: unknown[];
    const created: KeyValueCircuitBreakers[] = [];

    const createBreakers = (keyValueStore = backend.connect()) => {
      const breakers = createCircuitBreakers({
        settingsFor: () => settings,
        clock,
        keyValueStore,
        syncIntervalMs,
        probeLeaseMs,
        onError: (error) => errors.push(error),
      });
      created.push(breakers);
      return breakers;
    };

    const record = async (
      breakers: KeyValueCircuitBreakers,
      deployment: string,
      outcome: 'success' | 'failure',
      permit?: BreakerPermit,
    ) => {
      const used = permit ?? (await breakers.acquire(deployment));
      expect(used.allowed).toBe(true);
      await breakers.record(deployment, outcome, used);
      await breakers.flush();
    };

    const recordAll = async (breakers: KeyValueCircuitBreakers, deployment: string, outcomes: string) => {
      for (const letter of outcomes)
        await record(breakers, deployment, letter === 'F' ? 'failure' : 'success');
    };

    /** Lets another instance see what changed in the store: its local copy is refreshed. */
    const sync = async (breakers: KeyValueCircuitBreakers, deployment: string) => {
      clock.advance(syncIntervalMs);
      await breakers.acquire(deployment);
      await breakers.flush();
    };

    const expire = async (milliseconds: number) => {
      clock.advance(milliseconds);
      if (backend.expiresInRealTime) await sleep(milliseconds + 50);
    };

    const tripAndCoolDown = async (breakers: KeyValueCircuitBreakers, deployment: string) => {
      await recordAll(breakers, deployment, 'FFFF');
      expect((await breakers.acquire(deployment)).state).toBe('open');
      clock.advance(settings.cooldownMs);
    };

    beforeEach(async () => {
      clock = createManualClock();
      backend = await factory(clock);
      settings = { ...baseSettings };
      errors = [];
      created.length = 0;
    });

    afterEach(async () => {
      for (const breakers of created) await breakers.close();
      await backend.cleanup();
      expect(errors).toEqual([]);
    });

    it('starts closed and allows calls', async () => {
      const breakers = createBreakers();
      expect(await breakers.acquire('a')).toEqual({ allowed: true, state: 'closed', probe: false });
      expect(await breakers.snapshot('a')).toEqual({
        deployment: 'a',
        state: 'closed',
        requests: 0,
        failures: 0,
        openUntil: null,
      });
    });

    it('does not open before minimumRequests, however many of them failed', async () => {
      const breakers = createBreakers();
      await recordAll(breakers, 'a', 'FFF');
      expect(await breakers.acquire('a')).toMatchObject({ allowed: true, state: 'closed' });
      expect(await breakers.snapshot('a')).toMatchObject({ state: 'closed', requests: 3, failures: 3 });
    });

    it('opens exactly when the failure ratio reaches the threshold', async () => {
      const breakers = createBreakers();
      await recordAll(breakers, 'a', 'SSSF');
      expect((await breakers.acquire('a')).state).toBe('closed');
      await recordAll(breakers, 'a', 'F');
      // 2 of 5 failed: below one half.
      expect((await breakers.acquire('a')).state).toBe('closed');
      await recordAll(breakers, 'a', 'F');
      // 3 of 6.
      expect(await breakers.acquire('a')).toEqual({ allowed: false, state: 'open', probe: false });
      expect(await breakers.snapshot('a')).toEqual({
        deployment: 'a',
        state: 'open',
        requests: 6,
        failures: 3,
        openUntil: clock.now() + settings.cooldownMs,
      });
    });

    it('opens on the success that brings the window to minimumRequests', async () => {
      const breakers = createBreakers();
      await recordAll(breakers, 'a', 'FFF');
      await recordAll(breakers, 'a', 'S');
      expect((await breakers.acquire('a')).state).toBe('open');
    });

    it('denies for the whole cooldown, then lets probes through', async () => {
      const breakers = createBreakers();
      await recordAll(breakers, 'a', 'FFFF');
      clock.advance(settings.cooldownMs - 1);
      expect(await breakers.acquire('a')).toEqual({ allowed: false, state: 'open', probe: false });
      clock.advance(1);
      expect(await breakers.acquire('a')).toEqual({ allowed: true, state: 'half-open', probe: true });
      expect((await breakers.snapshot('a')).state).toBe('half-open');
      expect((await breakers.snapshot('a')).openUntil).toBeNull();
    });

    it('keeps deployments apart', async () => {
      const breakers = createBreakers();
      await recordAll(breakers, 'a', 'FFFF');
      expect((await breakers.acquire('a')).allowed).toBe(false);
      expect((await breakers.acquire('b')).allowed).toBe(true);
      expect((await breakers.acquire('openai/gpt-4o:eu')).allowed).toBe(true);
    });

    it('forgets failures that have left the window', async () => {
      const breakers = createBreakers();
      await recordAll(breakers, 'a', 'FFF');
      clock.advance(settings.windowMs);
      await recordAll(breakers, 'a', 'F');
      expect((await breakers.acquire('a')).state).toBe('closed');
      expect(await breakers.snapshot('a')).toMatchObject({ requests: 1, failures: 1 });
    });

    it('still counts failures from earlier in the window', async () => {
      const breakers = createBreakers();
      await recordAll(breakers, 'a', 'FFF');
      clock.advance(settings.windowMs / 2);
      await recordAll(breakers, 'a', 'F');
      expect((await breakers.acquire('a')).state).toBe('open');
    });

    it('allows exactly halfOpenProbes probes at once while half-open', async () => {
      const breakers = createBreakers();
      await tripAndCoolDown(breakers, 'a');
      const permits = [
        await breakers.acquire('a'),
        await breakers.acquire('a'),
        await breakers.acquire('a'),
        await breakers.acquire('a'),
      ];
      expect(permits.map((permit) => permit.allowed)).toEqual([true, true, false, false]);
      expect(permits.map((permit) => permit.probe)).toEqual([true, true, false, false]);
      expect(permits.map((permit) => permit.state)).toEqual([
        'half-open',
        'half-open',
        'half-open',
        'half-open',
      ]);
    });

    it('allows exactly halfOpenProbes of many concurrent acquires', async () => {
      const breakers = createBreakers();
      await tripAndCoolDown(breakers, 'a');
      const permits = await Promise.all(Array.from({ length: 20 }, () => breakers.acquire('a')));
      expect(permits.filter((permit) => permit.allowed)).toHaveLength(2);
      expect(permits.filter((permit) => permit.probe)).toHaveLength(2);
    });

    it('closes once the probes succeed, with the window reset', async () => {
      const breakers = createBreakers();
      await tripAndCoolDown(breakers, 'a');
      const first = await breakers.acquire('a');
      const second = await breakers.acquire('a');
      await record(breakers, 'a', 'success', first);
      // One of two probes succeeded: still half-open, and the freed slot admits another probe.
      expect((await breakers.snapshot('a')).state).toBe('half-open');
      const third = await breakers.acquire('a');
      expect(third).toMatchObject({ allowed: true, probe: true });
      await record(breakers, 'a', 'success', second);
      expect(await breakers.acquire('a')).toEqual({ allowed: true, state: 'closed', probe: false });
      expect(await breakers.snapshot('a')).toMatchObject({ state: 'closed', requests: 0, failures: 0 });
      // The third probe's outcome, arriving after the close, changes nothing.
      await record(breakers, 'a', 'success', third);
      expect((await breakers.acquire('a')).state).toBe('closed');
      // The reset window needs minimumRequests again before it can open.
      await recordAll(breakers, 'a', 'FFF');
      expect((await breakers.acquire('a')).state).toBe('closed');
    });

    it('closes on the first probe success when one probe is allowed', async () => {
      settings = { ...baseSettings, halfOpenProbes: 1 };
      const breakers = createBreakers();
      await tripAndCoolDown(breakers, 'a');
      const probe = await breakers.acquire('a');
      expect(probe.probe).toBe(true);
      expect((await breakers.acquire('a')).allowed).toBe(false);
      await record(breakers, 'a', 'success', probe);
      expect((await breakers.acquire('a')).state).toBe('closed');
    });

    it('re-opens for another cooldown when a probe fails', async () => {
      const breakers = createBreakers();
      await tripAndCoolDown(breakers, 'a');
      const probe = await breakers.acquire('a');
      const other = await breakers.acquire('a');
      await record(breakers, 'a', 'failure', probe);
      expect(await breakers.acquire('a')).toEqual({ allowed: false, state: 'open', probe: false });
      expect((await breakers.snapshot('a')).openUntil).toBe(clock.now() + settings.cooldownMs);
      // The other probe of the old period succeeding does not close the new one.
      await record(breakers, 'a', 'success', other);
      expect((await breakers.acquire('a')).state).toBe('open');
      clock.advance(settings.cooldownMs - 1);
      expect((await breakers.acquire('a')).allowed).toBe(false);
      clock.advance(1);
      expect(await breakers.acquire('a')).toMatchObject({ allowed: true, probe: true });
    });

    it('frees the slot of a probe whose outcome never comes once its lease expires', async () => {
      settings = { ...baseSettings, halfOpenProbes: 1 };
      const breakers = createBreakers();
      await tripAndCoolDown(breakers, 'a');
      expect((await breakers.acquire('a')).probe).toBe(true);
      expect((await breakers.acquire('a')).allowed).toBe(false);
      await expire(probeLeaseMs);
      clock.advance(syncIntervalMs);
      expect(await breakers.acquire('a')).toMatchObject({ allowed: true, probe: true });
    });

    it('counts an outcome recorded with a rebuilt, non-probe permit as an ordinary one', async () => {
      settings = { ...baseSettings, halfOpenProbes: 1 };
      const breakers = createBreakers();
      await tripAndCoolDown(breakers, 'a');
      const probe = await breakers.acquire('a');
      await record(breakers, 'a', 'success', { ...probe, probe: false });
      expect((await breakers.snapshot('a')).state).toBe('half-open');
    });

    it('frees the slot of a released probe at once without counting anything', async () => {
      settings = { ...baseSettings, halfOpenProbes: 1 };
      const breakers = createBreakers();
      await tripAndCoolDown(breakers, 'a');
      const before = await breakers.snapshot('a');
      const probe = await breakers.acquire('a');
      expect((await breakers.acquire('a')).allowed).toBe(false);
      await breakers.release('a', probe);
      await breakers.flush();
      const next = await breakers.acquire('a');
      expect(next).toEqual({ allowed: true, state: 'half-open', probe: true });
      expect(await breakers.snapshot('a')).toEqual(before);
      // Releasing a closed breaker's permit, or the same permit twice, does nothing.
      await breakers.release('a', probe);
      await breakers.release('b', await breakers.acquire('b'));
      await breakers.flush();
      expect(await breakers.snapshot('b')).toMatchObject({ requests: 0 });
      expect((await breakers.acquire('a')).allowed).toBe(false);
    });

    it('ignores the outcome of a denied permit', async () => {
      const breakers = createBreakers();
      await breakers.record('a', 'failure', { allowed: false, state: 'open', probe: false });
      await breakers.flush();
      expect(await breakers.snapshot('a')).toMatchObject({ requests: 0, failures: 0 });
    });

    it('shares the window between instances: each one counts toward opening', async () => {
      const first = createBreakers();
      const second = createBreakers();
      await recordAll(first, 'a', 'FF');
      await recordAll(second, 'a', 'FF');
      expect((await second.acquire('a')).state).toBe('open');
      await sync(first, 'a');
      expect(await first.acquire('a')).toEqual({ allowed: false, state: 'open', probe: false });
    });

    it('shares an open breaker: the other instance denies after its sync', async () => {
      const first = createBreakers();
      const second = createBreakers();
      expect((await second.acquire('a')).allowed).toBe(true);
      await recordAll(first, 'a', 'FFFF');
      await sync(second, 'a');
      expect(await second.acquire('a')).toEqual({ allowed: false, state: 'open', probe: false });
    });

    it('shares the probe limit and the close between instances', async () => {
      settings = { ...baseSettings, halfOpenProbes: 1 };
      const first = createBreakers();
      const second = createBreakers();
      await recordAll(first, 'a', 'FFFF');
      await sync(second, 'a');
      expect((await second.acquire('a')).state).toBe('open');
      clock.advance(settings.cooldownMs);
      const permits = await Promise.all([
        first.acquire('a'),
        second.acquire('a'),
        first.acquire('a'),
        second.acquire('a'),
      ]);
      expect(permits.filter((permit) => permit.allowed)).toHaveLength(1);
      const holderIndex = permits.findIndex((permit) => permit.probe);
      const holder = holderIndex % 2 === 0 ? first : second;
      const other = holder === first ? second : first;
      await record(holder, 'a', 'success', permits[holderIndex]);
      expect((await holder.acquire('a')).state).toBe('closed');
      await sync(other, 'a');
      expect(await other.acquire('a')).toEqual({ allowed: true, state: 'closed', probe: false });
    });

    it('makes replicas that open at once agree on one open-until', async () => {
      const stores = [backend.connect(), backend.connect()];
      const [first, second] = stores.map((store) => createBreakerStore(store, 'circuit-breaker:'));
      const [one, two] = await Promise.all([
        first!.open('a', 1_000, 60_000),
        second!.open('a', 2_000, 60_000),
      ]);
      expect(one).toBe(two);
      expect([1_000, 2_000]).toContain(one);
      const [reopenedOne, reopenedTwo] = await Promise.all([
        first!.reopen('a', one!, 3_000, 60_000),
        second!.reopen('a', one!, 4_000, 60_000),
      ]);
      expect(reopenedOne.openUntil).toBe(reopenedTwo.openUntil);
      expect([reopenedOne.reopened, reopenedTwo.reopened].filter(Boolean)).toHaveLength(1);
      const agreed = reopenedOne.openUntil!;
      expect(await first!.readOpenUntil('a')).toBe(agreed);
      // Outcomes of the finished period change nothing.
      expect(await first!.close('a', one!, 1_000, [0])).toBe(false);
      expect(await second!.reopen('a', one!, 9_000, 60_000)).toEqual({ reopened: false, openUntil: agreed });
      // Once closed, a late failure of the closed period does not re-open it.
      expect(await second!.close('a', agreed, 1_000, [0])).toBe(true);
      expect(await first!.reopen('a', agreed, 9_000, 60_000)).toEqual({ reopened: false, openUntil: null });
      expect(await second!.readOpenUntil('a')).toBeNull();
    });
  });
}
