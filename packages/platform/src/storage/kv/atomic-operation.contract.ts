import { expect, it } from 'vitest';
import type { AtomicOperation, MemoryAtomicView, ScoredMember } from './atomic-operation.ts';
import type { KeyValueStore } from './key-value-store.ts';

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

type TransferResult = { moved: boolean; source: number; target: number };

/** Moves ARGV[1] from KEYS[1] to KEYS[2] only when KEYS[1] holds at least that much. */
const transfer: AtomicOperation<TransferResult> = {
  name: 'contract-transfer',
  lua: `
local amount = tonumber(ARGV[1])
local source = tonumber(redis.call('GET', KEYS[1]) or '0')
if source < amount then
  return {0, source, tonumber(redis.call('GET', KEYS[2]) or '0')}
end
return {1, redis.call('INCRBY', KEYS[1], -amount), redis.call('INCRBY', KEYS[2], amount)}
`,
  memory(store, keys, args) {
    const amount = Number(args[0]);
    const source = Number(store.get(keys[0]!) ?? '0');
    if (source < amount) return { moved: false, source, target: Number(store.get(keys[1]!) ?? '0') };
    return {
      moved: true,
      source: store.increment(keys[0]!, -amount),
      target: store.increment(keys[1]!, amount),
    };
  },
  decode(raw) {
    const [moved, source, target] = raw as number[];
    return { moved: moved === 1, source: source!, target: target! };
  },
};

const flatten = (members: ScoredMember[]) => members.flatMap(({ member, score }) => [member, String(score)]);

/** Walks hashes, sorted sets and expiry through every view method, reporting what it saw. */
const exercise: AtomicOperation<string[]> = {
  name: 'contract-exercise',
  lua: `
local hash, sorted, plain = KEYS[1], KEYS[2], KEYS[3]
local seen = {}
local function note(value) seen[#seen + 1] = value == false and 'nil' or tostring(value) end
redis.call('HSET', hash, 'a', '1')
note(redis.call('HINCRBY', hash, 'a', 41))
note(redis.call('HINCRBY', hash, 'b', -5))
note(redis.call('HGET', hash, 'a'))
note(redis.call('HGET', hash, 'missing'))
note(redis.call('HDEL', hash, 'b'))
note(redis.call('HDEL', hash, 'b'))
redis.call('PEXPIRE', hash, ARGV[1])
redis.call('HSET', hash, 'c', 'kept ttl')
redis.call('ZADD', sorted, 3, 'c')
redis.call('ZADD', sorted, 1, 'a')
redis.call('ZADD', sorted, 2, 'bb')
redis.call('ZADD', sorted, 2, 'b')
redis.call('ZADD', sorted, 5, 'moved')
redis.call('ZADD', sorted, 2.5, 'moved')
for _, value in ipairs(redis.call('ZRANGE', sorted, 0, -1, 'WITHSCORES')) do note(value) end
for _, value in ipairs(redis.call('ZREVRANGE', sorted, 0, 1, 'WITHSCORES')) do note(value) end
for _, value in ipairs(redis.call('ZRANGE', sorted, -2, 10, 'WITHSCORES')) do note(value) end
for _, value in ipairs(redis.call('ZRANGEBYSCORE', sorted, 2, 2.5, 'WITHSCORES')) do note(value) end
note(redis.call('ZREMRANGEBYSCORE', sorted, '-inf', 1))
note(redis.call('ZSCORE', sorted, 'bb'))
note(redis.call('ZSCORE', sorted, 'a'))
note(redis.call('ZCARD', sorted))
note(redis.call('ZREM', sorted, 'b'))
note(redis.call('ZREM', sorted, 'b'))
redis.call('ZREMRANGEBYSCORE', sorted, '-inf', '+inf')
note(redis.call('ZCARD', sorted))
note(redis.call('PEXPIRE', plain, 1000))
redis.call('SET', plain, '7')
note(redis.call('INCRBY', plain, 3))
note(redis.call('PTTL', plain))
return seen
`,
  memory(store: MemoryAtomicView, keys, args) {
    const [hash, sorted, plain] = keys as [string, string, string];
    const seen: string[] = [];
    const note = (value: string | number | boolean | null) =>
      seen.push(value === null ? 'nil' : typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
    store.hashSet(hash, 'a', '1');
    note(store.hashIncrement(hash, 'a', 41));
    note(store.hashIncrement(hash, 'b', -5));
    note(store.hashGet(hash, 'a'));
    note(store.hashGet(hash, 'missing'));
    note(store.hashDelete(hash, 'b'));
    note(store.hashDelete(hash, 'b'));
    store.expire(hash, Number(args[0]));
    store.hashSet(hash, 'c', 'kept ttl');
    store.sortedSetAdd(sorted, 'c', 3);
    store.sortedSetAdd(sorted, 'a', 1);
    store.sortedSetAdd(sorted, 'bb', 2);
    store.sortedSetAdd(sorted, 'b', 2);
    store.sortedSetAdd(sorted, 'moved', 5);
    store.sortedSetAdd(sorted, 'moved', 2.5);
    seen.push(...flatten(store.sortedSetRange(sorted, 0, -1)));
    seen.push(...flatten(store.sortedSetRange(sorted, 0, 1, { reverse: true })));
    seen.push(...flatten(store.sortedSetRange(sorted, -2, 10)));
    seen.push(...flatten(store.sortedSetRangeByScore(sorted, 2, 2.5)));
    note(store.sortedSetRemoveRangeByScore(sorted, Number.NEGATIVE_INFINITY, 1));
    note(store.sortedSetScore(sorted, 'bb'));
    note(store.sortedSetScore(sorted, 'a'));
    note(store.sortedSetSize(sorted));
    note(store.sortedSetRemove(sorted, 'b'));
    note(store.sortedSetRemove(sorted, 'b'));
    store.sortedSetRemoveRangeByScore(sorted, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
    note(store.sortedSetSize(sorted));
    note(store.expire(plain, 1000));
    store.set(plain, '7');
    note(store.increment(plain, 3));
    note(store.timeToLiveMs(plain) ?? -1);
    return seen;
  },
};

/** Reads a key as a string inside an operation: fails with WRONGTYPE on a hash, in both backends. */
const readAsString: AtomicOperation<string | null> = {
  name: 'contract-read-as-string',
  lua: `return redis.call('GET', KEYS[1])`,
  memory: (store, keys) => store.get(keys[0]!),
  decode: (raw) => (raw === null ? null : String(raw)),
};

/** Sets KEYS[1] to ARGV[1] for ARGV[2] ms. */
const setWithExpiry: AtomicOperation<null> = {
  name: 'contract-set-with-expiry',
  lua: `redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return false`,
  memory(store, keys, args) {
    store.set(keys[0]!, args[0]!, { ttlMs: Number(args[1]) });
    return null;
  },
  decode: () => null,
};

/** The runAtomic part of the key-value contract; called inside its describe block. */
export function runAtomicOperationContract(store: () => KeyValueStore): void {
  it('runs an atomic operation over several keys that the plain methods see', async () => {
    await store().set('source', '10');
    expect(await store().runAtomic(transfer, ['source', 'target'], [4])).toEqual({
      moved: true,
      source: 6,
      target: 4,
    });
    expect(await store().runAtomic(transfer, ['source', 'target'], ['7'])).toEqual({
      moved: false,
      source: 6,
      target: 4,
    });
    expect(await store().get('source')).toBe('6');
    expect(await store().get('target')).toBe('4');
  });

  it('lets exactly as many of 100 concurrent operations through as the balance allows', async () => {
    await store().set('balance', '200');
    const results = await Promise.all(
      Array.from({ length: 100 }, () => store().runAtomic(transfer, ['balance', 'spent'], [3])),
    );
    expect(results.filter((result) => result.moved)).toHaveLength(66);
    expect(await store().get('balance')).toBe('2');
    expect(await store().get('spent')).toBe('198');
  });

  it('gives the same answers for hashes, sorted sets and expiry in every backend', async () => {
    const seen = await store().runAtomic(exercise, ['hash', 'sorted', 'plain'], [5_000]);
    expect(seen).toEqual([
      '42',
      '-5',
      '42',
      'nil',
      '1',
      '0',
      ...['a', '1', 'b', '2', 'bb', '2', 'moved', '2.5', 'c', '3'],
      ...['c', '3', 'moved', '2.5'],
      ...['moved', '2.5', 'c', '3'],
      ...['b', '2', 'bb', '2', 'moved', '2.5'],
      '1',
      '2',
      'nil',
      '4',
      '1',
      '0',
      '0',
      '0',
      '10',
      '-1',
    ]);
    const remaining = await store().timeToLiveMs('hash');
    expect(remaining).toBeGreaterThan(4_000);
    expect(remaining).toBeLessThanOrEqual(5_000);
    // An emptied sorted set no longer exists, so the key reads as missing.
    expect(await store().get('sorted')).toBeNull();
  });

  it('rejects an operation that uses a key as the wrong kind of value', async () => {
    await store().runAtomic(exercise, ['hash', 'sorted', 'plain'], [5_000]);
    await expect(store().runAtomic(readAsString, ['hash'], [])).rejects.toThrow(/WRONGTYPE/);
    await expect(store().get('hash')).rejects.toThrow(/WRONGTYPE/);
    await expect(store().increment('hash', 1)).rejects.toThrow(/WRONGTYPE/);
  });

  it('expires keys an operation wrote with a time to live', async () => {
    await store().runAtomic(setWithExpiry, ['short'], ['lived', 100]);
    expect(await store().runAtomic(readAsString, ['short'], [])).toBe('lived');
    await sleep(250);
    expect(await store().runAtomic(readAsString, ['short'], [])).toBeNull();
    expect(await store().get('short')).toBeNull();
  });
}
