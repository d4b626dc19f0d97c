import type { AtomicOperation, KeyValueStore } from '../../storage/kv/index.ts';

/** Takes one request from a monthly quota, refusing (and taking nothing) when it is used up. */
const takeOne: AtomicOperation<number> = {
  name: 'quota-take-one',
  lua: `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used + 1 > tonumber(ARGV[1]) then return -1 end
used = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return used`,
  memory(store, keys, args) {
    const used = Number(store.get(keys[0]!) ?? '0');
    if (used + 1 > Number(args[0])) return -1;
    const next = store.increment(keys[0]!, 1);
    store.expire(keys[0]!, Number(args[1]));
    return next;
  },
  decode: (raw) => Number(raw),
};

/** Raises the counter to at least the ledger's count (a restart, or another process's requests). */
const raiseTo: AtomicOperation<number> = {
  name: 'quota-raise-to',
  lua: `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local floor = tonumber(ARGV[1])
if floor > used then redis.call('SET', KEYS[1], floor, 'PX', ARGV[2]); return floor end
return used`,
  memory(store, keys, args) {
    const used = Number(store.get(keys[0]!) ?? '0');
    const floor = Number(args[0]);
    if (floor > used) {
      store.set(keys[0]!, String(floor), { ttlMs: Number(args[1]) });
      return floor;
    }
    return used;
  },
  decode: (raw) => Number(raw),
};

export interface RequestQuotaCounter {
  /** The count after taking one, or null when the quota is used up. */
  take(organizationId: string, monthKey: string, quota: number, ttlMs: number): Promise<number | null>;
  /** Gives back a request that never reached a provider. */
  giveBack(organizationId: string, monthKey: string): Promise<void>;
  raiseTo(organizationId: string, monthKey: string, floor: number, ttlMs: number): Promise<number>;
}

/** Monthly request quotas as kv counters (shared by replicas with Redis), seeded from the usage ledger. */
export function createRequestQuotaCounter(keyValueStore: KeyValueStore): RequestQuotaCounter {
  const key = (organizationId: string, monthKey: string) => `quota:${monthKey}:${organizationId}`;
  return {
    async take(organizationId, monthKey, quota, ttlMs) {
      const used = await keyValueStore.runAtomic(takeOne, [key(organizationId, monthKey)], [quota, ttlMs]);
      return used < 0 ? null : used;
    },
    async giveBack(organizationId, monthKey) {
      await keyValueStore.increment(key(organizationId, monthKey), -1);
    },
    raiseTo: (organizationId, monthKey, floor, ttlMs) =>
      keyValueStore.runAtomic(raiseTo, [key(organizationId, monthKey)], [floor, ttlMs]),
  };
}
