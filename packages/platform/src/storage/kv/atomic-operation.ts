/**
 * Several keys read and written as one indivisible step: a Lua script on Redis, and the same logic
 * in JavaScript over the in-process map, run synchronously so nothing interleaves with it.
 *
 * Both halves must give identical results. The conventions that make this easy:
 * - `keys` are the names as the caller wrote them (each backend adds its own prefix); the script
 *   sees them as KEYS[1..n] and must touch no other key (so it would also run on Redis Cluster
 *   once every key shares a hash tag);
 * - `args` reach both halves as strings, exactly as Lua's ARGV sees them (numbers via `String()`);
 * - the script returns what `decode` turns into the result; `memory` returns the result itself.
 *   Lua truncates numbers to integers on the way out and ends an array at its first nil, so return
 *   integers, strings and arrays without holes.
 */
export interface AtomicOperation<Result> {
  /** Names the operation in errors and traces. */
  name: string;
  /** The Redis script, using KEYS and ARGV. */
  lua: string;
  /** The same logic for the in-process store; runs synchronously, so it is atomic in one process. */
  memory: (store: MemoryAtomicView, keys: readonly string[], args: readonly string[]) => Result;
  /** Turns the script's reply into the result; the reply itself when absent. */
  decode?: (raw: unknown) => Result;
}

/** One member of a sorted set with its score. */
export interface ScoredMember {
  member: string;
  score: number;
}

/**
 * What an operation's in-process half may do: a small subset of Redis commands with Redis's
 * semantics, each named after its command. As in Redis, a hash or sorted set that becomes empty
 * disappears, writing a field or member keeps the key's time to live, and using a key as the wrong
 * kind of value throws (WRONGTYPE).
 */
export interface MemoryAtomicView {
  /** GET */
  get(key: string): string | null;
  /** SET, or SET … PX ttlMs; clears any previous time to live. */
  set(key: string, value: string, options?: { ttlMs?: number }): void;
  /** DEL; true when the key existed. */
  delete(key: string): boolean;
  /** INCRBY on a string counter. */
  increment(key: string, amount: number): number;
  /** PEXPIRE; false when the key is missing. */
  expire(key: string, ttlMs: number): boolean;
  /** PTTL, except null for a missing key and for a key without expiry. */
  timeToLiveMs(key: string): number | null;
  /** HGET */
  hashGet(key: string, field: string): string | null;
  /** HSET of one field. */
  hashSet(key: string, field: string, value: string): void;
  /** HINCRBY */
  hashIncrement(key: string, field: string, amount: number): number;
  /** HDEL of one field; true when it existed. */
  hashDelete(key: string, field: string): boolean;
  /** ZADD of one member (replacing its score). */
  sortedSetAdd(key: string, member: string, score: number): void;
  /** ZREM of one member; true when it existed. */
  sortedSetRemove(key: string, member: string): boolean;
  /** ZSCORE */
  sortedSetScore(key: string, member: string): number | null;
  /** ZCARD */
  sortedSetSize(key: string): number;
  /**
   * ZRANGE key start stop WITHSCORES (or ZREVRANGE with `reverse`): by rank, inclusive, negative
   * ranks counting from the end.
   */
  sortedSetRange(key: string, start: number, stop: number, options?: { reverse?: boolean }): ScoredMember[];
  /** ZRANGEBYSCORE key min max WITHSCORES, both bounds inclusive. */
  sortedSetRangeByScore(key: string, min: number, max: number): ScoredMember[];
  /** ZREMRANGEBYSCORE key min max, both bounds inclusive; returns how many were removed. */
  sortedSetRemoveRangeByScore(key: string, min: number, max: number): number;
}
