import type { AtomicOperation } from './atomic-operation.ts';

/**
 * The key-value port: L2 cache, counters and locks. In-process embedded, Redis scaled out.
 * Every operation is atomic on its own key.
 */
export interface KeyValueStore {
  /** For logs and banners only; code branches on `shared`, never on this name. */
  readonly backend: 'memory' | 'redis';
  /**
   * True when other processes see the same keys (Redis): counters are exact across replicas and
   * every operation is a round trip. False for the in-process store, whose operations are immediate.
   */
  readonly shared: boolean;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options?: { ttlMs?: number }): Promise<void>;
  /** Sets only when the key is absent; true when it was set (a lock acquisition). */
  setIfAbsent(key: string, value: string, options: { ttlMs: number }): Promise<boolean>;
  /** True when the key existed. */
  delete(key: string): Promise<boolean>;
  /**
   * Adds an integer `amount` (may be negative) and returns the new value. A missing key counts
   * as 0; `ttlMs` applies only when this call created the key.
   */
  increment(key: string, amount: number, options?: { ttlMs?: number }): Promise<number>;
  /** Deletes the key only if it holds `expected` (a lock release); true when deleted. */
  compareAndDelete(key: string, expected: string): Promise<boolean>;
  /** Remaining time to live in ms; null when the key is missing or has no expiry. */
  timeToLiveMs(key: string): Promise<number | null>;
  /**
   * Runs `operation` over `keys` as one indivisible step (a Lua script on Redis, a synchronous
   * function in process), so counters spread over several keys stay consistent under concurrency
   * and across replicas. See {@link AtomicOperation} for the conventions both halves follow.
   */
  runAtomic<Result>(
    operation: AtomicOperation<Result>,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<Result>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
