import type { MemoryAtomicView } from '../../storage/kv/index.ts';
import type { BudgetCounter } from './limits-types.ts';

/*
 * The key-value ledger's layout, relative to the store's prefix:
 *
 *   spend:{budgetId}:{periodKey}        hash  spent, reserved (nano-USD), hold:{reservationId} → amount
 *   spend:{budgetId}:{periodKey}:holds  zset  reservationId scored by the epoch ms its hold expires
 *   spend-reservation:{reservationId}   hash  amount, budgets (JSON of the counters it holds on)
 *
 * A hold lives in its budget's hash and zset, so each budget releases its own holds: whichever
 * comes first, expiry or settle, removes the hold field, and only the one that removed it subtracts
 * it from `reserved`. The reservation record only tells settle which budgets to visit; it is deleted
 * by settle or release (so a second call finds nothing: idempotent) and otherwise outlives the hold
 * by a retention period, so a request that outlived its TTL still gets its spend recorded.
 */

/** The hash and the sorted set of one budget in one period. */
export function counterKeys(budget: Pick<BudgetCounter, 'budgetId' | 'periodKey'>): [string, string] {
  const counter = `spend:${budget.budgetId}:${budget.periodKey}`;
  return [counter, `${counter}:holds`];
}

export function reservationKey(reservationId: string): string {
  return `spend-reservation:${reservationId}`;
}

export const holdField = (reservationId: string) => `hold:${reservationId}`;

/**
 * Lua shared by the ledger's scripts: `drop_hold` removes one hold from its budget's hash and
 * `reserved` (true when there was one); `release_expired` drops the holds of one budget whose expiry
 * is at or before `now`; `set_expiry` gives a period's keys their time to live (0: none).
 *
 * why `drop_hold` skips a zero hold: a request on an unpriced (or free) model reserves 0, and the
 * Lua number -0 reaches Redis as the text '-0', which HINCRBY refuses ("value is not an integer"),
 * aborting the script halfway and leaving the hold behind.
 */
export const spendLuaPrelude = `
local function drop_hold(counter, id)
  local field = 'hold:' .. id
  local amount = tonumber(redis.call('HGET', counter, field))
  if amount == nil then return false end
  redis.call('HDEL', counter, field)
  if amount ~= 0 then redis.call('HINCRBY', counter, 'reserved', 0 - amount) end
  return true
end
local function release_expired(counter, holds, now)
  local expired = redis.call('ZRANGEBYSCORE', holds, '-inf', now)
  if #expired == 0 then return end
  for _, id in ipairs(expired) do drop_hold(counter, id) end
  redis.call('ZREMRANGEBYSCORE', holds, '-inf', now)
end
local function set_expiry(counter, holds, ttl)
  if tonumber(ttl) > 0 then
    redis.call('PEXPIRE', counter, ttl)
    redis.call('PEXPIRE', holds, ttl)
  end
end
local function read_level(counter)
  return tonumber(redis.call('HGET', counter, 'spent') or '0'), tonumber(redis.call('HGET', counter, 'reserved') or '0')
end
`;

/** The in-process twin of `release_expired`. */
export function releaseExpiredHolds(
  store: MemoryAtomicView,
  counter: string,
  holds: string,
  now: number,
): void {
  const expired = store.sortedSetRangeByScore(holds, Number.NEGATIVE_INFINITY, now);
  if (expired.length === 0) return;
  for (const { member } of expired) {
    const amount = store.hashGet(counter, holdField(member));
    if (amount !== null) {
      store.hashDelete(counter, holdField(member));
      store.hashIncrement(counter, 'reserved', -Number(amount));
    }
  }
  store.sortedSetRemoveRangeByScore(holds, Number.NEGATIVE_INFINITY, now);
}

/** The in-process twin of `set_expiry`. */
export function setPeriodExpiry(
  store: MemoryAtomicView,
  counter: string,
  holds: string,
  ttlMs: number,
): void {
  if (ttlMs > 0) {
    store.expire(counter, ttlMs);
    store.expire(holds, ttlMs);
  }
}

/** The in-process twin of `read_level`: spent and reserved nano-USD. */
export function readLevel(store: MemoryAtomicView, counter: string): [number, number] {
  return [Number(store.hashGet(counter, 'spent') ?? '0'), Number(store.hashGet(counter, 'reserved') ?? '0')];
}
