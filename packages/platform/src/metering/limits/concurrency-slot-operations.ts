import type { AtomicOperation } from '../../storage/kv/index.ts';

/*
 * Concurrency slots as leases. Per rule, relative to the store's prefix:
 *
 *   slots:{key}  zset  leaseId scored by the epoch ms its lease expires
 *
 * A lease whose expiry is at or before now no longer holds a slot (a crashed request frees its
 * slot by itself) and is trimmed by the next acquisition. Acquiring again with the same leaseId
 * renews the lease without taking a second slot, which serves as a heartbeat for long streams.
 */

/**
 * Takes a slot under every rule or under none. KEYS: one per rule; ARGV: now, leaseId, leaseMs,
 * then each rule's limit. Returns 0, or the position (from 1) of the first rule that is full.
 */
export const acquireSlotsOperation: AtomicOperation<number> = {
  name: 'slots-acquire',
  lua: `
local now, lease, lease_ms = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3])
for i = 1, #KEYS do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
  if not redis.call('ZSCORE', KEYS[i], lease) and redis.call('ZCARD', KEYS[i]) >= tonumber(ARGV[3 + i]) then
    return i
  end
end
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], now + lease_ms, lease)
  if redis.call('PTTL', KEYS[i]) < lease_ms + 1000 then redis.call('PEXPIRE', KEYS[i], lease_ms + 1000) end
end
return 0
`,
  memory(store, keys, args) {
    const [nowText, lease, leaseText] = args as [string, string, string];
    const now = Number(nowText);
    const leaseMs = Number(leaseText);
    for (const [index, key] of keys.entries()) {
      store.sortedSetRemoveRangeByScore(key, Number.NEGATIVE_INFINITY, now);
      if (store.sortedSetScore(key, lease) === null && store.sortedSetSize(key) >= Number(args[3 + index])) {
        return index + 1;
      }
    }
    for (const key of keys) {
      store.sortedSetAdd(key, lease, now + leaseMs);
      if ((store.timeToLiveMs(key) ?? -1) < leaseMs + 1000) store.expire(key, leaseMs + 1000);
    }
    return 0;
  },
  decode: Number,
};

/** Gives back the lease's slot under every rule; releasing twice changes nothing. ARGV: leaseId. */
export const releaseSlotsOperation: AtomicOperation<null> = {
  name: 'slots-release',
  lua: `
for i = 1, #KEYS do redis.call('ZREM', KEYS[i], ARGV[1]) end
return false
`,
  memory(store, keys, args) {
    for (const key of keys) store.sortedSetRemove(key, args[0]!);
    return null;
  },
  decode: () => null,
};
