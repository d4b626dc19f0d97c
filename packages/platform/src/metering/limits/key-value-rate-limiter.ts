import type { KeyValueStore } from '../../storage/kv/index.ts';
import type { Clock } from '../../support/index.ts';
import { giveBackLimitsOperation, takeLimitsOperation } from './admission-limit-operations.ts';
import type {
  ConcurrencyRule,
  LimitsTake,
  RateAdjustment,
  RateLimitDecision,
  RateLimiter,
  RateLimitRule,
  RateLimitState,
} from './limits-types.ts';
import type { CheckResult } from './rate-limit-operations.ts';

export interface KeyValueRateLimiterOptions {
  keyValueStore: KeyValueStore;
  clock: Clock;
}

function assertPositiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, got ${value}`);
}

function assertRule(rule: RateLimitRule): void {
  if (typeof rule.key !== 'string' || rule.key.length === 0)
    throw new Error('a rule key must be a non-empty string');
  assertPositiveInteger(`limit of ${rule.key}`, rule.limit);
  assertPositiveInteger(`windowMs of ${rule.key}`, rule.windowMs);
  if (!Number.isSafeInteger(rule.cost) || rule.cost < 0) {
    throw new Error(`cost of ${rule.key} must be a non-negative integer, got ${rule.cost}`);
  }
}

function assertConcurrencyRule(rule: ConcurrencyRule): void {
  if (typeof rule.key !== 'string' || rule.key.length === 0)
    throw new Error('a rule key must be a non-empty string');
  assertPositiveInteger(`limit of ${rule.key}`, rule.limit);
}

/** The log and tally keys of a rule; the window is part of the name, so changing it starts afresh. */
const windowKeys = (rule: RateLimitRule) => {
  const tally = `rate:${rule.key}:${rule.windowMs}`;
  return [`${tally}:log`, tally];
};

const slotKey = (rule: ConcurrencyRule) => `slots:${rule.key}`;

function assertLease(leaseId: string, leaseMs: number): void {
  if (typeof leaseId !== 'string' || leaseId.length === 0)
    throw new Error('leaseId must be a non-empty string');
  assertPositiveInteger('leaseMs', Math.ceil(leaseMs));
}

function assertDelta(delta: number): void {
  if (!Number.isSafeInteger(delta)) throw new Error(`delta must be an integer, got ${delta}`);
}

function toDecision(rules: readonly RateLimitRule[], result: CheckResult): RateLimitDecision {
  const states: RateLimitState[] = rules.map((rule, index) => ({
    rule,
    remaining: result.remaining[index]!,
    resetMs: result.resetMs[index]!,
    fullResetMs: result.fullResetMs[index]!,
  }));
  if (result.refusedPosition === 0) return { allowed: true, states };
  // why: resetMs is positive exactly for the rules without room, and waiting for one only is not enough.
  const retryAfterMs = Math.max(...states.map((state) => state.resetMs));
  return { allowed: false, refused: states[result.refusedPosition - 1]!, states, retryAfterMs };
}

/**
 * Exact rate limits and concurrency slots on the key-value port: in process embedded, on Redis
 * (one Lua script per call) across replicas.
 *
 * Rate limits are a sliding-window log: a charge of `cost` units at time t counts against its rule
 * while now < t + windowMs, and a check is accepted only if every rule then has room
 * (total + cost ≤ limit); it is charged to all of them or to none. So for "100 requests per
 * minute" no interval of 60 000 ms ever contains more than 100 accepted requests, and a client
 * sending steadily gets exactly 100 per such interval. Times come from the injected clock (epoch
 * ms); replicas should keep their clocks in step, though a check carrying an older time than one
 * already accepted is treated as happening at that later time, so skew never lets extra through.
 *
 * `remaining` is the units left in the window (after this charge, when accepted); `resetMs` is how
 * long until `cost` would fit again (0 when it fits now; windowMs when cost exceeds the limit and
 * never fits); `fullResetMs` is how long until the window holds nothing again (what OpenAI's
 * `x-ratelimit-reset-*` headers report). A refusal's `retryAfterMs` is the longest `resetMs`
 * among the rules without room.
 * Memory stays bounded: each rule's keys expire a second after its newest charge leaves the window.
 */
export function createKeyValueRateLimiter(options: KeyValueRateLimiterOptions): RateLimiter {
  const { keyValueStore: store, clock } = options;

  /** Charges every rate rule and takes every slot, or neither (behind check, acquireSlots, take). */
  const runTake = async (
    rates: readonly RateLimitRule[],
    slots: readonly ConcurrencyRule[],
    leaseId: string,
    leaseMs: number,
  ): Promise<LimitsTake> => {
    const result = await store.runAtomic(
      takeLimitsOperation,
      [...rates.flatMap(windowKeys), ...slots.map(slotKey)],
      [
        clock.now(),
        rates.length,
        leaseId,
        Math.ceil(leaseMs),
        ...rates.flatMap((rule) => [rule.limit, rule.windowMs, rule.cost]),
        ...slots.map((rule) => rule.limit),
      ],
    );
    const refusedSlot = result.fullSlotPosition === 0 ? null : slots[result.fullSlotPosition - 1]!;
    return { rates: toDecision(rates, result), refusedSlot };
  };

  /** Applies the adjustments and releases the lease's slots (behind adjust, releaseSlots, giveBack). */
  const runGiveBack = async (
    changed: readonly RateAdjustment[],
    slots: readonly ConcurrencyRule[],
    leaseId: string,
  ): Promise<void> => {
    await store.runAtomic(
      giveBackLimitsOperation,
      [...changed.flatMap(({ rule }) => windowKeys(rule)), ...slots.map(slotKey)],
      [clock.now(), changed.length, leaseId, ...changed.flatMap(({ rule, delta }) => [rule.windowMs, delta])],
    );
  };

  return {
    async check(rules) {
      rules.forEach(assertRule);
      if (rules.length === 0) return { allowed: true, states: [] };
      // No slots, so no lease: the lease arguments are not read.
      return (await runTake(rules, [], '', 0)).rates;
    },

    async adjust(rule, delta) {
      assertRule(rule);
      assertDelta(delta);
      if (delta === 0) return;
      await runGiveBack([{ rule, delta }], [], '');
    },

    async acquireSlots(rules, leaseId, leaseMs) {
      rules.forEach(assertConcurrencyRule);
      assertLease(leaseId, leaseMs);
      if (rules.length === 0) return { acquired: true };
      const { refusedSlot } = await runTake([], rules, leaseId, leaseMs);
      return refusedSlot === null ? { acquired: true } : { acquired: false, refused: refusedSlot };
    },

    async releaseSlots(rules, leaseId) {
      if (rules.length === 0) return;
      await runGiveBack([], rules, leaseId);
    },

    async take(rates, slots, leaseId, leaseMs) {
      rates.forEach(assertRule);
      slots.forEach(assertConcurrencyRule);
      assertLease(leaseId, leaseMs);
      if (rates.length === 0 && slots.length === 0) {
        return { rates: { allowed: true, states: [] }, refusedSlot: null };
      }
      return runTake(rates, slots, leaseId, leaseMs);
    },

    async giveBack(adjustments, slots, leaseId) {
      for (const { rule, delta } of adjustments) {
        assertRule(rule);
        assertDelta(delta);
      }
      const changed = adjustments.filter((adjustment) => adjustment.delta !== 0);
      if (changed.length === 0 && slots.length === 0) return;
      await runGiveBack(changed, slots, leaseId);
    },

    async close() {
      // The store belongs to the caller, who closes it.
    },
  };
}
