import type { AtomicOperation, MemoryAtomicView } from '../../storage/kv/index.ts';

/*
 * Concurrency slots as leases. Per rule, relative to the store's prefix:
 *
 *   slots:{key}  zset  leaseId scored by the epoch ms its lease expires
 *
 * A lease whose expiry is at or before now no longer holds a slot (a crashed request frees its
 * slot by itself) and is trimmed by the next acquisition. Acquiring again with the same leaseId
 * renews the lease without taking a second slot, which serves as a heartbeat for long streams.
 */

/** The Lua building blocks, shared with the combined operations (admission-limit-operations.ts). */
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

/**
 * Takes a slot under every rule or under none. KEYS: one per rule; ARGV: now, leaseId, leaseMs,
 * then each rule's limit. Returns 0, or the position (from 1) of the first rule that is full.
 */
export const acquireSlotsOperation: AtomicOperation<number> = {
  name: 'slots-acquire',
  lua: `${slotLuaFunctions}
local now, lease, lease_ms = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3])
local full = slots_full(KEYS, {unpack(ARGV, 4)}, now, lease)
if full == 0 then slots_take(KEYS, now, lease, lease_ms) end
return full
`,
  memory(store, keys, args) {
    const [nowText, lease, leaseText] = args as [string, string, string];
    const full = slotsFull(store, keys, args.slice(3), Number(nowText), lease);
    if (full === 0) slotsTake(store, keys, Number(nowText), lease, Number(leaseText));
    return full;
  },
  decode: Number,
};

/** Gives back the lease's slot under every rule; releasing twice changes nothing. ARGV: leaseId. */
export const releaseSlotsOperation: AtomicOperation<null> = {
  name: 'slots-release',
  lua: `${slotLuaFunctions}
slots_release(KEYS, ARGV[1])
return false
`,
  memory(store, keys, args) {
    slotsRelease(store, keys, args[0]!);
    return null;
  },
  decode: () => null,
};
