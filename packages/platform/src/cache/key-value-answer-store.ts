import { randomBytes } from 'node:crypto';
import type { KeyValueStore } from '../storage/kv/index.ts';
import type { Clock } from '../support/index.ts';

/** How long a replica trusts the organisation generation it read, when no purge event arrives. */
const generationTrustMs = 5000;

export type KeyValueOperation = 'get' | 'set' | 'lock' | 'unlock' | 'purge' | 'generation';

export interface KeyValueAnswerStoreOptions {
  keyValueStore: KeyValueStore;
  clock: Clock;
  /** After a failure, the store is skipped this long before it is tried again. */
  retryAfterMs: () => number;
  onFailure?: (operation: KeyValueOperation, error: unknown) => void;
}

/**
 * The L2 cache on the kv port (Redis when configured, shared by every replica). Keys carry the
 * organisation's generation, so a purge is one increment and old entries simply expire.
 *
 * While the store fails, every call answers as a miss (never throws) and the store is skipped for
 * `retryAfterMs`, so an outage costs one timeout now and then instead of one per request.
 */
export interface KeyValueAnswerStore {
  get(organizationId: string, key: string): Promise<string | null>;
  set(organizationId: string, key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Takes the fill lock of a key for this replica; returns its token, or null when another holds it. */
  lock(organizationId: string, key: string, ttlMs: number): Promise<LockOutcome>;
  unlock(organizationId: string, key: string, token: string): Promise<void>;
  /** True while another replica holds the key's fill lock. */
  locked(organizationId: string, key: string): Promise<boolean>;
  /** Makes every entry of an organisation unreachable; true when done. */
  purge(organizationId: string): Promise<boolean>;
  /** Forgets the generation read for an organisation (a purge happened elsewhere). */
  forgetGeneration(organizationId: string): void;
  /** False while failures make the store skipped. */
  healthy(): boolean;
  /**
   * False on the in-process kv: within one process L1 already holds every answer, and a second,
   * unbounded copy would only cost memory. Then every call answers as a miss.
   */
  readonly shared: boolean;
}

export type LockOutcome = { state: 'acquired'; token: string } | { state: 'held' } | { state: 'unavailable' };

export function createKeyValueAnswerStore(options: KeyValueAnswerStoreOptions): KeyValueAnswerStore {
  const { keyValueStore: store, clock } = options;
  const generations = new Map<string, { value: string; readAt: number }>();
  let skipUntil = 0;
  const shared = store.shared;

  async function guarded<Result>(
    operation: KeyValueOperation,
    work: () => Promise<Result>,
    fallback: Result,
  ): Promise<Result> {
    if (!shared || clock.now() < skipUntil) return fallback;
    try {
      return await work();
    } catch (error) {
      skipUntil = clock.now() + options.retryAfterMs();
      options.onFailure?.(operation, error);
      return fallback;
    }
  }

  const generationKey = (organizationId: string) => `cache:generation:${organizationId}`;

  async function generation(organizationId: string): Promise<string> {
    const known = generations.get(organizationId);
    if (known && clock.now() - known.readAt < generationTrustMs) return known.value;
    const value = (await store.get(generationKey(organizationId))) ?? '0';
    generations.set(organizationId, { value, readAt: clock.now() });
    return value;
  }

  const entryKey = async (organizationId: string, key: string) =>
    `cache:answer:${organizationId}:${await generation(organizationId)}:${key}`;
  const lockKey = (organizationId: string, key: string) => `cache:lock:${organizationId}:${key}`;

  return {
    get: (organizationId, key) =>
      guarded('get', async () => store.get(await entryKey(organizationId, key)), null),
    set: (organizationId, key, value, ttlMs) =>
      guarded(
        'set',
        async () => {
          await store.set(await entryKey(organizationId, key), value, { ttlMs });
          return true;
        },
        false,
      ),
    lock: (organizationId, key, ttlMs) =>
      guarded<LockOutcome>(
        'lock',
        async () => {
          const token = randomBytes(12).toString('base64url');
          const acquired = await store.setIfAbsent(lockKey(organizationId, key), token, { ttlMs });
          return acquired ? { state: 'acquired', token } : { state: 'held' };
        },
        { state: 'unavailable' },
      ),
    unlock: (organizationId, key, token) =>
      guarded(
        'unlock',
        async () => {
          await store.compareAndDelete(lockKey(organizationId, key), token);
        },
        undefined,
      ),
    locked: (organizationId, key) =>
      guarded('lock', async () => (await store.get(lockKey(organizationId, key))) !== null, false),
    purge: (organizationId) =>
      guarded(
        'purge',
        async () => {
          const next = await store.increment(generationKey(organizationId), 1);
          generations.set(organizationId, { value: String(next), readAt: clock.now() });
          return true;
        },
        false,
      ),
    forgetGeneration: (organizationId) => {
      generations.delete(organizationId);
    },
    healthy: () => clock.now() >= skipUntil,
    shared,
  };
}
