import type { AtomicOperation } from '../../storage/kv/index.ts';
import { slotLuaFunctions, slotsFull, slotsRelease, slotsTake } from './concurrency-slot-operations.ts';
import {
  type CheckResult,
  rateAdjust,
  rateLuaFunctions,
  ratesCharge,
  ratesEvaluate,
  ratesStates,
  toCheckResult,
} from './rate-limit-operations.ts';

/*
 * The rate limiter's two store operations: a request's rate limits and concurrency slots taken in
 * one, and given back in one (on Redis every operation is a round trip and a script run). `check`,
 * `adjust`, `acquireSlots` and `releaseSlots` are the same operations with one half empty. Built
 * from rate-limit-operations.ts and concurrency-slot-operations.ts.
 */

/** The rate decision, plus the position (from 1) of the first full slot rule (0: none). */
export interface TakeResult extends CheckResult {
  fullSlotPosition: number;
}

/**
 * Charges every rate rule and takes a slot under every concurrency rule, or does neither: rates
 * are evaluated first, then slots (only when every rate rule has room). KEYS: log and tally per
 * rate rule, then one per slot rule. ARGV: now, the number of rate rules, leaseId, leaseMs, then
 * limit, windowMs and cost per rate rule, then each slot rule's limit. Returns the rate refusal's
 * position, the full slot rule's position, then remaining and resetMs per rate rule (after the
 * charge when taken).
 */
export const takeLimitsOperation: AtomicOperation<TakeResult> = {
  name: 'limits-take',
  lua: `${rateLuaFunctions}${slotLuaFunctions}
local now, count, lease, lease_ms = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local rate_keys, slot_keys = {unpack(KEYS, 1, 2 * count)}, {unpack(KEYS, 2 * count + 1)}
local rate_args, slot_limits = {unpack(ARGV, 5, 4 + 3 * count)}, {unpack(ARGV, 5 + 3 * count)}
local nows, totals, refused = rates_evaluate(rate_keys, rate_args, now)
local full = 0
if refused == 0 then full = slots_full(slot_keys, slot_limits, now, lease) end
if refused == 0 and full == 0 then
  rates_charge(rate_keys, rate_args, nows, totals)
  slots_take(slot_keys, now, lease, lease_ms)
end
local result = {refused, full}
rates_states(rate_keys, rate_args, nows, totals, result)
return result
`,
  memory(store, keys, args) {
    const now = Number(args[0]);
    const count = Number(args[1]);
    const lease = args[2]!;
    const rateKeys = keys.slice(0, 2 * count);
    const slotKeys = keys.slice(2 * count);
    const rateArgs = args.slice(4, 4 + 3 * count);
    const evaluation = ratesEvaluate(store, rateKeys, rateArgs, now);
    const full =
      evaluation.refused === 0 ? slotsFull(store, slotKeys, args.slice(4 + 3 * count), now, lease) : 0;
    if (evaluation.refused === 0 && full === 0) {
      ratesCharge(store, rateKeys, rateArgs, evaluation);
      slotsTake(store, slotKeys, now, lease, Number(args[3]));
    }
    const values = [evaluation.refused, full];
    ratesStates(store, rateKeys, rateArgs, evaluation, values);
    return decodeTake(values);
  },
  decode: (raw) => decodeTake((raw as Array<number | string>).map(Number)),
};

function decodeTake(values: number[]): TakeResult {
  const [refused = 0, full = 0, ...states] = values;
  return { ...toCheckResult([refused, ...states]), fullSlotPosition: full };
}

/**
 * Corrects rate rules by their deltas (a positive delta is charged now, a negative one refunded
 * from the newest charges, never below zero) and releases the lease's slot under every slot
 * rule. KEYS: log and tally per adjusted rule, then one per slot rule. ARGV: now, the number of
 * adjusted rules, leaseId, then windowMs and delta per adjusted rule.
 */
export const giveBackLimitsOperation: AtomicOperation<null> = {
  name: 'limits-give-back',
  lua: `${rateLuaFunctions}${slotLuaFunctions}
local now, count, lease = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
for i = 1, count do
  rate_adjust(KEYS[2 * i - 1], KEYS[2 * i], now, tonumber(ARGV[2 + 2 * i]), tonumber(ARGV[3 + 2 * i]))
end
slots_release({unpack(KEYS, 2 * count + 1)}, lease)
return false
`,
  memory(store, keys, args) {
    const now = Number(args[0]);
    const count = Number(args[1]);
    for (let position = 1; position <= count; position += 1) {
      const window = Number(args[1 + 2 * position]);
      const delta = Number(args[2 + 2 * position]);
      rateAdjust(store, keys[2 * position - 2]!, keys[2 * position - 1]!, now, window, delta);
    }
    slotsRelease(store, keys.slice(2 * count), args[2]!);
    return null;
  },
  decode: () => null,
};
