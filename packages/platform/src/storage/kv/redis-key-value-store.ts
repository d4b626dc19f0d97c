import { closeRedisClient, createFailFastRedisClient } from '../redis/index.ts';
import type { AtomicOperation } from './atomic-operation.ts';
import { assertIntegerAmount, normalizeTimeToLive } from './key-value-arguments.ts';
import type { KeyValueStore } from './key-value-store.ts';
import { defineRedisScript, type RedisScript, runRedisScript } from './redis-script.ts';

export interface RedisKeyValueStoreOptions {
  url: string;
  /** Prepended to every key, so several deployments or suites can share one Redis. */
  keyPrefix?: string;
  /** Bound on connecting and on each command. Default 1000 ms. */
  timeoutMs?: number;
  /** Receives connection errors; calls that hit them reject as well. */
  onConnectionError?: (error: Error) => void;
}

// why: the TTL must be set only when this call created the key. Checking the result of INCRBY
// against the amount is wrong for negative amounts and for keys that drifted back to the amount,
// so existence is checked first, inside the same atomic script.
const incrementScript = defineRedisScript(`
local existed = redis.call('EXISTS', KEYS[1])
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = tonumber(ARGV[2])
if existed == 0 and ttl > 0 then
  redis.call('PEXPIRE', KEYS[1], ttl)
end
return value
`);

const compareAndDeleteScript = defineRedisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`);

// why: hashing a script's source on every call would cost more than sending its SHA saves.
const atomicScripts = new WeakMap<AtomicOperation<unknown>, RedisScript>();

function scriptOf(operation: AtomicOperation<unknown>): RedisScript {
  let script = atomicScripts.get(operation);
  if (script === undefined) {
    script = defineRedisScript(operation.lua);
    atomicScripts.set(operation, script);
  }
  return script;
}

/**
 * The scaled-out key-value store on Redis. Each operation is one command or one Lua script, so it
 * is atomic across every replica; while Redis is unreachable, calls reject within about a second
 * (see {@link createFailFastRedisClient}). Creating the store never throws; `ping()` reports health.
 */
export function createRedisKeyValueStore(options: RedisKeyValueStoreOptions): KeyValueStore {
  const client = createFailFastRedisClient({
    url: options.url,
    timeoutMs: options.timeoutMs,
    onError: options.onConnectionError,
    // why: each request runs several scripts, and concurrent requests run theirs in the same turn;
    // one socket write per command cost a fifth of the main thread on PostgreSQL + Redis.
    autoPipelining: true,
  });
  const keyPrefix = options.keyPrefix ?? '';
  const prefixed = (key: string) => `${keyPrefix}${key}`;

  return {
    backend: 'redis',
    shared: true,

    get(key) {
      return client.get(prefixed(key));
    },

    async set(key, value, setOptions) {
      if (setOptions?.ttlMs === undefined) {
        await client.set(prefixed(key), value);
        return;
      }
      await client.set(prefixed(key), value, 'PX', normalizeTimeToLive(setOptions.ttlMs));
    },

    async setIfAbsent(key, value, setOptions) {
      const result = await client.set(
        prefixed(key),
        value,
        'PX',
        normalizeTimeToLive(setOptions.ttlMs),
        'NX',
      );
      return result === 'OK';
    },

    async delete(key) {
      return (await client.del(prefixed(key))) > 0;
    },

    async increment(key, amount, incrementOptions) {
      assertIntegerAmount(amount);
      const ttlMs = incrementOptions?.ttlMs === undefined ? 0 : normalizeTimeToLive(incrementOptions.ttlMs);
      const result = await runRedisScript(client, incrementScript, [prefixed(key)], [amount, ttlMs]);
      return Number(result);
    },

    async compareAndDelete(key, expected) {
      const result = await runRedisScript(client, compareAndDeleteScript, [prefixed(key)], [expected]);
      return Number(result) > 0;
    },

    async timeToLiveMs(key) {
      const remaining = await client.pttl(prefixed(key));
      // PTTL answers -2 for a missing key and -1 for a key without expiry.
      return remaining < 0 ? null : remaining;
    },

    async runAtomic<Result>(
      operation: AtomicOperation<Result>,
      keys: readonly string[],
      args: readonly (string | number)[],
    ): Promise<Result> {
      const raw = await runRedisScript(client, scriptOf(operation), keys.map(prefixed), args.map(String));
      return operation.decode === undefined ? (raw as Result) : operation.decode(raw);
    },

    async ping() {
      await client.ping();
    },

    close() {
      return closeRedisClient(client);
    },
  };
}
