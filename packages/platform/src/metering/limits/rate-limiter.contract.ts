import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Clock, systemClock } from '../../support/index.ts';
import type { ConcurrencyRule, RateLimiter, RateLimitRule } from './limits-types.ts';
import { createManualClock, type ManualClock } from './test-clock.ts';

/** Rate limiters over one fresh shared state, and a way to remove it. */
export interface RateLimiterUnderTest {
  /** One limiter per replica (separate clients) over the same state; one suffices in process. */
  limiters: RateLimiter[];
  cleanup(): Promise<void>;
}

/** Builds limiters whose time comes from `clock`. */
export type RateLimiterFactory = (clock: Clock) => Promise<RateLimiterUnderTest>;

const minute = 60_000;
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

let ruleCount = 0;

/** A key no other test uses. */
function uniqueKey(label: string): string {
  ruleCount += 1;
  return `${label}:${process.pid}:${ruleCount}:${Math.random().toString(36).slice(2, 8)}`;
}

function requestsRule(limit: number, scope: RateLimitRule['scope'] = 'organization'): RateLimitRule {
  return { key: uniqueKey(`${scope}:requests`), kind: 'requests', scope, limit, windowMs: minute, cost: 1 };
}

function slotsRule(limit: number, scope: ConcurrencyRule['scope'] = 'organization'): ConcurrencyRule {
  return { key: uniqueKey(`${scope}:slots`), scope, limit };
}

function tokensRule(limit: number, cost: number): RateLimitRule {
  return {
    key: uniqueKey('organization:tokens'),
    kind: 'tokens',
    scope: 'organization',
    limit,
    windowMs: minute,
    cost,
  };
}

/**
 * The behaviour every RateLimiter must share: exact sliding windows (a charge at t counts until
 * t + windowMs), all-or-nothing checks, refunds, and concurrency leases. Time is a manual clock,
 * except for one lease that expires on real time.
 */
export function runRateLimiterContract(name: string, factory: RateLimiterFactory): void {
  describe(`RateLimiter contract: ${name}`, () => {
    let clock: ManualClock;
    let underTest: RateLimiterUnderTest;
    let limiter: RateLimiter;

    beforeEach(async () => {
      clock = createManualClock(Date.UTC(2026, 10, 24, 12));
      underTest = await factory(clock);
      limiter = underTest.limiters[0]!;
    });

    afterEach(async () => {
      await underTest.cleanup();
    });

    const replica = (index: number) => underTest.limiters[index % underTest.limiters.length]!;

    it('allows exactly 100 of 150 concurrent requests under 100 requests per minute, across replicas', async () => {
      const rule = requestsRule(100);
      const decisions = await Promise.all(
        Array.from({ length: 150 }, (_, index) => replica(index).check([rule])),
      );
      const allowed = decisions.filter((decision) => decision.allowed);
      expect(allowed).toHaveLength(100);
      // Every accepted request saw a different number left: 99 down to 0.
      expect(new Set(allowed.map((decision) => decision.states[0]!.remaining)).size).toBe(100);
      for (const decision of decisions) {
        if (decision.allowed) continue;
        expect(decision.refused.rule).toBe(rule);
        expect(decision.refused.remaining).toBe(0);
        expect(decision.retryAfterMs).toBe(minute);
      }
    });

    it('counts a request for exactly windowMs after it was accepted', async () => {
      const rule = requestsRule(100);
      for (let index = 0; index < 60; index += 1) expect((await limiter.check([rule])).allowed).toBe(true);
      clock.advance(30_000);
      for (let index = 0; index < 40; index += 1) expect((await limiter.check([rule])).allowed).toBe(true);

      clock.advance(29_999);
      const refused = await limiter.check([rule]);
      expect(refused).toMatchObject({ allowed: false, retryAfterMs: 1 });

      clock.advance(1);
      const accepted = await Promise.all(Array.from({ length: 61 }, () => limiter.check([rule])));
      expect(accepted.filter((decision) => decision.allowed)).toHaveLength(60);
      const last = accepted.find((decision) => !decision.allowed);
      expect(last).toMatchObject({ allowed: false, retryAfterMs: 30_000 });
    });

    it('reports remaining and the time until the next request fits', async () => {
      const rule = requestsRule(3);
      const first = await limiter.check([rule]);
      clock.advance(10_000);
      const second = await limiter.check([rule]);
      const third = await limiter.check([rule]);
      expect(first.states[0]).toEqual({ rule, remaining: 2, resetMs: 0, fullResetMs: minute });
      expect(second.states[0]).toEqual({ rule, remaining: 1, resetMs: 0, fullResetMs: minute });
      expect(third.states[0]).toEqual({ rule, remaining: 0, resetMs: 50_000, fullResetMs: minute });
      clock.advance(50_000);
      expect((await limiter.check([rule])).states[0]).toEqual({
        rule,
        remaining: 0,
        resetMs: 10_000,
        fullResetMs: minute,
      });
    });

    it('reports the time until the window has fully reset apart from the time until one more fits', async () => {
      const rule = requestsRule(2);
      expect((await limiter.check([rule])).states[0]).toMatchObject({ resetMs: 0, fullResetMs: minute });
      clock.advance(20_000);
      await limiter.check([rule]);
      clock.advance(10_000);
      // The first charge leaves the window in 30 s (room again); the second, and so the whole window, in 50 s.
      const refused = await limiter.check([rule]);
      expect(refused.states[0]).toEqual({ rule, remaining: 0, resetMs: 30_000, fullResetMs: 50_000 });
      clock.advance(50_000);
      expect((await limiter.check([{ ...rule, cost: 0 }])).states[0]).toMatchObject({
        remaining: 2,
        fullResetMs: 0,
      });
    });

    it('charges every rule or none, naming the first without room', async () => {
      const organization = requestsRule(5);
      const apiKey = requestsRule(3, 'api_key');
      for (let index = 0; index < 3; index += 1) {
        expect((await limiter.check([organization, apiKey])).allowed).toBe(true);
      }
      const refused = await limiter.check([organization, apiKey]);
      expect(refused).toEqual({
        allowed: false,
        refused: { rule: apiKey, remaining: 0, resetMs: minute, fullResetMs: minute },
        states: [
          { rule: organization, remaining: 2, resetMs: 0, fullResetMs: minute },
          { rule: apiKey, remaining: 0, resetMs: minute, fullResetMs: minute },
        ],
        retryAfterMs: minute,
      });
      // The refused check charged the organisation nothing.
      expect((await limiter.check([organization])).states[0]).toMatchObject({ remaining: 1 });
    });

    it('waits for the slowest rule without room before a retry can succeed', async () => {
      const first = requestsRule(1);
      const second = requestsRule(1);
      await limiter.check([first]);
      clock.advance(20_000);
      await limiter.check([second]);
      const refused = await limiter.check([first, second]);
      expect(refused).toMatchObject({
        allowed: false,
        refused: { rule: first, resetMs: 40_000 },
        retryAfterMs: minute,
      });
    });

    it('refunds tokens estimated but not used and charges the excess', async () => {
      const tokens = tokensRule(1_000, 600);
      expect((await limiter.check([tokens])).states[0]).toMatchObject({ remaining: 400 });
      await limiter.adjust(tokens, -500);
      expect((await limiter.check([{ ...tokens, cost: 800 }])).states[0]).toMatchObject({ remaining: 100 });
      await limiter.adjust(tokens, 300);
      const over = await limiter.check([{ ...tokens, cost: 0 }]);
      expect(over).toMatchObject({ allowed: false, refused: { remaining: 0 } });

      // A refund larger than what the window holds leaves it empty, never negative.
      await limiter.adjust(tokens, -5_000);
      expect((await limiter.check([{ ...tokens, cost: 1_000 }])).states[0]).toMatchObject({ remaining: 0 });
      expect((await limiter.check([{ ...tokens, cost: 1 }])).allowed).toBe(false);
    });

    it('takes a refund from the newest charges, which then leave the window on their own time', async () => {
      const tokens = tokensRule(1_000, 300);
      await limiter.check([tokens]);
      clock.advance(30_000);
      await limiter.check([tokens]);
      clock.advance(1_000);
      await limiter.adjust(tokens, -400);
      // 200 tokens are left, all from the first charge, which leaves the window at 60 s.
      clock.advance(28_000);
      expect(await limiter.check([{ ...tokens, cost: 900 }])).toMatchObject({
        allowed: false,
        refused: { remaining: 800, resetMs: 1_000 },
      });
      clock.advance(1_000);
      expect((await limiter.check([{ ...tokens, cost: 1_000 }])).allowed).toBe(true);
    });

    it('refuses a cost larger than the limit, which can never fit', async () => {
      const tokens = tokensRule(1_000, 1_001);
      expect(await limiter.check([tokens])).toMatchObject({
        allowed: false,
        refused: { remaining: 1_000, resetMs: minute },
        retryAfterMs: minute,
      });
    });

    it('grants exactly 10 of 50 concurrent slot requests under a limit of 10, across replicas', async () => {
      const rule = slotsRule(10);
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          replica(index).acquireSlots([rule], `lease-${index}`, minute),
        ),
      );
      const granted = results.flatMap((result, index) => (result.acquired ? [`lease-${index}`] : []));
      expect(granted).toHaveLength(10);
      expect(results.find((result) => !result.acquired)).toEqual({ acquired: false, refused: rule });

      await limiter.releaseSlots([rule], granted[0]!);
      await limiter.releaseSlots([rule], granted[0]!);
      expect(await limiter.acquireSlots([rule], 'after-release', minute)).toEqual({ acquired: true });
      expect(await limiter.acquireSlots([rule], 'one-too-many', minute)).toMatchObject({ acquired: false });
      // Acquiring again under a lease already held renews it without taking a second slot.
      expect(await limiter.acquireSlots([rule], granted[1]!, minute)).toEqual({ acquired: true });
    });

    it('acquires slots under every rule or none', async () => {
      const organization = slotsRule(3);
      const apiKey = slotsRule(1, 'api_key');
      expect(await limiter.acquireSlots([organization, apiKey], 'first', minute)).toEqual({ acquired: true });
      expect(await limiter.acquireSlots([organization, apiKey], 'second', minute)).toEqual({
        acquired: false,
        refused: apiKey,
      });
      // The refused request took no organisation slot: two of three are still free.
      expect(await limiter.acquireSlots([organization], 'third', minute)).toEqual({ acquired: true });
      expect(await limiter.acquireSlots([organization], 'fourth', minute)).toEqual({ acquired: true });
      expect(await limiter.acquireSlots([organization], 'fifth', minute)).toEqual({
        acquired: false,
        refused: organization,
      });
    });

    it('frees the slot of a lease that was never released once it expires', async () => {
      const rule = slotsRule(2, 'api_key');
      await limiter.acquireSlots([rule], 'crashed-1', 5_000);
      clock.advance(1_000);
      await limiter.acquireSlots([rule], 'crashed-2', 5_000);
      expect(await limiter.acquireSlots([rule], 'waiting', 5_000)).toMatchObject({ acquired: false });
      clock.advance(4_000);
      expect(await limiter.acquireSlots([rule], 'waiting', 5_000)).toEqual({ acquired: true });
      expect(await limiter.acquireSlots([rule], 'still-waiting', 5_000)).toMatchObject({ acquired: false });
    });

    it('frees a lease on real time', async () => {
      const realTime = await factory(systemClock);
      try {
        const rule = slotsRule(1, 'api_key');
        const realLimiter = realTime.limiters[0]!;
        expect(await realLimiter.acquireSlots([rule], 'short', 100)).toEqual({ acquired: true });
        expect(await realLimiter.acquireSlots([rule], 'next', 100)).toMatchObject({ acquired: false });
        await sleep(250);
        expect(await realLimiter.acquireSlots([rule], 'next', 100)).toEqual({ acquired: true });
      } finally {
        await realTime.cleanup();
      }
    });

    it('takes rates and slots together across replicas: exactly the slots or the rates allow, nothing half taken', async () => {
      const rate = requestsRule(30);
      const slots = slotsRule(10);
      const outcomes = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          replica(index).take([rate], [slots], `lease-${index}`, minute),
        ),
      );
      const taken = outcomes.flatMap((outcome, index) =>
        outcome.rates.allowed && outcome.refusedSlot === null ? [`lease-${index}`] : [],
      );
      expect(taken).toHaveLength(10);
      // The 40 refused by their slot charged no request: 20 of the 30 are left after the 10 taken.
      expect(outcomes.filter((outcome) => outcome.refusedSlot === slots)).toHaveLength(40);
      const next = await limiter.check([rate]);
      expect(next.allowed && next.states[0]!.remaining).toBe(19);

      // Giving back frees the slot and, with a negative delta, the request it charged (11 → 10
      // used); releasing the slot again changes nothing.
      await limiter.giveBack([{ rule: rate, delta: -1 }], [slots], taken[0]!);
      await limiter.giveBack([], [slots], taken[0]!);
      const again = await limiter.take([rate], [slots], 'after-give-back', minute);
      expect(again.refusedSlot).toBeNull();
      expect(again.rates.allowed && again.rates.states[0]!.remaining).toBe(19);
      expect((await limiter.take([rate], [slots], 'one-too-many', minute)).refusedSlot).toBe(slots);
    });

    it('refuses by rate before looking at slots, and reports the rate states on every take', async () => {
      const rate = requestsRule(1);
      const tokens = tokensRule(1_000, 400);
      const slots = slotsRule(5, 'api_key');
      const first = await limiter.take([rate, tokens], [slots], 'first', minute);
      expect(first.refusedSlot).toBeNull();
      expect(first.rates.states.map((state) => state.remaining)).toEqual([0, 600]);
      const second = await limiter.take([rate, tokens], [slots], 'second', minute);
      expect(second.rates.allowed).toBe(false);
      if (second.rates.allowed) return;
      expect(second.rates.refused.rule).toBe(rate);
      expect(second.rates.retryAfterMs).toBe(minute);
      expect(second.refusedSlot).toBeNull();
      // The refused take held no slot: four of five are still free besides "first".
      for (const lease of ['a', 'b', 'c', 'd']) {
        expect(await limiter.acquireSlots([slots], lease, minute)).toEqual({ acquired: true });
      }
      expect(await limiter.acquireSlots([slots], 'e', minute)).toMatchObject({ acquired: false });
      // Usage known: 250 tokens of the 400 estimated; the refund leaves 750 of 1,000.
      await limiter.giveBack([{ rule: tokens, delta: -150 }], [slots], 'first');
      const after = await limiter.check([{ ...tokens, cost: 0 }]);
      expect(after.states[0]!.remaining).toBe(750);
      expect(await limiter.acquireSlots([slots], 'e', minute)).toEqual({ acquired: true });
    });

    it('rejects rules that are not whole positive numbers', async () => {
      await expect(limiter.check([{ ...requestsRule(10), limit: 0 }])).rejects.toThrow(/limit/);
      await expect(limiter.check([{ ...requestsRule(10), cost: 1.5 }])).rejects.toThrow(/cost/);
      await expect(limiter.adjust(tokensRule(10, 1), 0.5)).rejects.toThrow(/delta/);
    });
  });
}
