import type { MemoryAtomicView } from '../../storage/kv/index.ts';

/*
 * Concurrency slots as leases. Per rule, relative to the store's prefix:
 *
 *   slots:{key}  zset  leaseId scored by the epoch ms its lease expires
 *
 * A lease whose expiry is at or before now no longer holds a slot (a crashed request frees its
 * slot by itself) and is trimmed by the next acquisition. Acquiring again with the same leaseId
 * renews the lease without taking a second slot, which serves as a heartbeat for long streams.
 */

/** The Lua building blocks of the limiter's operations (admission-limit-operations.ts). */
export const slotLuaFunctions = `
local function slots_full(keys, limits, now, lease)
  for i = 1, #keys do
    redis.call('ZREMRANGEBYSCORE', keys[i], '-inf', now)
    if not redis.call('ZSCORE', keys[i], lease) and redis.call('ZCARD', keys[i]) >= tonumber(limits[i]) then
      return i
    end
  end
  return 0
end
local function slots_take(keys, now, lease, lease_ms)
  for i = 1, #keys do
    redis.call('ZADD', keys[i], now + lease_ms, lease)
    if redis.call('PTTL', keys[i]) < lease_ms + 1000 then redis.call('PEXPIRE', keys[i], lease_ms + 1000) end
  end
end
local function slots_release(keys, lease)
  for i = 1, #keys do redis.call('ZREM', keys[i], lease) end
end
`;

/** slots_full: trims expired leases; the position (from 1) of the first full rule, or 0. */
export function slotsFull(
  store: MemoryAtomicView,
  keys: readonly string[],
  limits: readonly string[],
  now: number,
  lease: string,
): number {
  for (const [index, key] of keys.entries()) {
    store.sortedSetRemoveRangeByScore(key, Number.NEGATIVE_INFINITY, now);
    if (store.sortedSetScore(key, lease) === null && store.sortedSetSize(key) >= Number(limits[index])) {
      return index + 1;
    }
  }
  return 0;
}

/** slots_take: the lease holds a slot under every rule until now + leaseMs. */
export function slotsTake(
  store: MemoryAtomicView,
  keys: readonly string[],
  now: number,
  lease: string,
  leaseMs: number,
): void {
  for (const key of keys) {
    store.sortedSetAdd(key, lease, now + leaseMs);
    if ((store.timeToLiveMs(key) ?? -1) < leaseMs + 1000) store.expire(key, leaseMs + 1000);
  }
}

/** slots_release */
export function slotsRelease(store: MemoryAtomicView, keys: readonly string[], lease: string): void {
  for (const key of keys) store.sortedSetRemove(key, lease);
}
