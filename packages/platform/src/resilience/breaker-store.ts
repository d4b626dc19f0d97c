import type { KeyValueStore } from '../storage/kv/index.ts';
import { decodeBucket, type Outcome, outcomeIncrement, type WindowCounts } from './breaker-window.ts';

/**
 * The breakers' shared state in the kv port. Every key ends with the deployment name, so names
 * containing ':' cannot collide with another key's numeric parts.
 *
 * - `open-until:{deployment}` — epoch ms the breaker opened until; absent while closed. Past that
 *   time it is half-open. The value doubles as the open period's generation: probe slots and probe
 *   successes are keyed by it, and closing or re-opening compares it, so a late outcome from an
 *   older period cannot decide a newer one. Set with setIfAbsent so replicas agree on one value.
 * - `window:{bucketWidthMs}:{bucketIndex}:{deployment}` — one sliding-window bucket (see
 *   breaker-window.ts); it expires one window after it stops counting.
 * - `probe:{generation}:{slot}:{deployment}` — a half-open probe's lease, one key per slot.
 * - `probe-successes:{generation}:{deployment}` — probes of that period that succeeded.
 * - `reopen:{generation}:{deployment}` — the open-until that follows the period after a failed
 *   probe; the replica whose setIfAbsent creates it is the one that re-opens.
 */
export interface BreakerStore {
  readOpenUntil(deployment: string): Promise<number | null>;
  /** Records an outcome in its bucket and returns the bucket's counts afterwards. */
  countOutcome(
    deployment: string,
    bucket: BucketAddress,
    outcome: Outcome,
    ttlMs: number,
  ): Promise<WindowCounts>;
  readBuckets(deployment: string, widthMs: number, indices: readonly number[]): Promise<WindowCounts[]>;
  /** Opens unless it already is; returns the open-until every replica agrees on (null if none held). */
  open(deployment: string, openUntil: number, ttlMs: number): Promise<number | null>;
  /**
   * Re-opens the period `generation` after a failed probe. When that period is over already (another
   * replica closed or re-opened it), changes nothing and returns what is there now.
   */
  reopen(
    deployment: string,
    generation: number,
    openUntil: number,
    ttlMs: number,
  ): Promise<{ reopened: boolean; openUntil: number | null }>;
  /** Closes the period `generation` and forgets the window's counts; false when it was over already. */
  close(
    deployment: string,
    generation: number,
    widthMs: number,
    indices: readonly number[],
  ): Promise<boolean>;
  /** Takes a free probe slot (0 ≤ slot < slots) for `leaseMs`; null when all are taken. */
  takeProbeSlot(
    deployment: string,
    generation: number,
    slots: number,
    token: string,
    leaseMs: number,
  ): Promise<number | null>;
  releaseProbeSlot(deployment: string, generation: number, slot: number, token: string): Promise<void>;
  /** Counts one successful probe of the period and returns how many there were. */
  countProbeSuccess(deployment: string, generation: number, ttlMs: number): Promise<number>;
}

export interface BucketAddress {
  widthMs: number;
  index: number;
}

/** Attempts at agreeing on an open-until while other replicas close and reopen concurrently. */
const openAttempts = 3;

/** The breakers' key layout over any kv backend; every operation is a few single-key commands. */
export function createBreakerStore(keyValueStore: KeyValueStore, keyPrefix: string): BreakerStore {
  const openUntilKey = (deployment: string) => `${keyPrefix}open-until:${deployment}`;
  const bucketKey = (deployment: string, widthMs: number, index: number) =>
    `${keyPrefix}window:${widthMs}:${index}:${deployment}`;
  const probeKey = (deployment: string, generation: number, slot: number) =>
    `${keyPrefix}probe:${generation}:${slot}:${deployment}`;
  const probeSuccessesKey = (deployment: string, generation: number) =>
    `${keyPrefix}probe-successes:${generation}:${deployment}`;
  const reopenKey = (deployment: string, generation: number) =>
    `${keyPrefix}reopen:${generation}:${deployment}`;

  const readOpenUntil = async (deployment: string) =>
    parseTimestamp(await keyValueStore.get(openUntilKey(deployment)));

  const open = async (deployment: string, openUntil: number, ttlMs: number) => {
    const key = openUntilKey(deployment);
    for (let attempt = 0; attempt < openAttempts; attempt++) {
      if (await keyValueStore.setIfAbsent(key, String(openUntil), { ttlMs })) return openUntil;
      const existing = parseTimestamp(await keyValueStore.get(key));
      if (existing !== null) return existing;
    }
    return null;
  };

  return {
    readOpenUntil,

    async countOutcome(deployment, bucket, outcome, ttlMs) {
      const value = await keyValueStore.increment(
        bucketKey(deployment, bucket.widthMs, bucket.index),
        outcomeIncrement(outcome),
        { ttlMs },
      );
      return decodeBucket(value);
    },

    async readBuckets(deployment, widthMs, indices) {
      const values = await Promise.all(
        indices.map((index) => keyValueStore.get(bucketKey(deployment, widthMs, index))),
      );
      return values.map(decodeBucket);
    },

    open,

    async reopen(deployment, generation, openUntil, ttlMs) {
      // why: the port has no compare-and-set. A lock per period picks the one replica that re-opens,
      // and it overwrites open-until rather than deleting it, so no reader ever sees a gap that
      // looks closed.
      const lock = reopenKey(deployment, generation);
      if (!(await keyValueStore.setIfAbsent(lock, String(openUntil), { ttlMs }))) {
        const current = await readOpenUntil(deployment);
        // The winner may not have written yet; its value is what the store is about to hold.
        const winner = current === generation ? parseTimestamp(await keyValueStore.get(lock)) : current;
        return { reopened: false, openUntil: winner };
      }
      const current = await readOpenUntil(deployment);
      if (current !== generation) return { reopened: false, openUntil: current };
      await keyValueStore.set(openUntilKey(deployment), String(openUntil), { ttlMs });
      return { reopened: true, openUntil };
    },

    async close(deployment, generation, widthMs, indices) {
      if (!(await keyValueStore.compareAndDelete(openUntilKey(deployment), String(generation)))) return false;
      await Promise.all(indices.map((index) => keyValueStore.delete(bucketKey(deployment, widthMs, index))));
      return true;
    },

    async takeProbeSlot(deployment, generation, slots, token, leaseMs) {
      for (let slot = 0; slot < slots; slot++) {
        if (
          await keyValueStore.setIfAbsent(probeKey(deployment, generation, slot), token, { ttlMs: leaseMs })
        ) {
          return slot;
        }
      }
      return null;
    },

    async releaseProbeSlot(deployment, generation, slot, token) {
      await keyValueStore.compareAndDelete(probeKey(deployment, generation, slot), token);
    },

    countProbeSuccess(deployment, generation, ttlMs) {
      return keyValueStore.increment(probeSuccessesKey(deployment, generation), 1, { ttlMs });
    },
  };
}

function parseTimestamp(value: string | null): number | null {
  if (value === null) return null;
  const timestamp = Number(value);
  return Number.isSafeInteger(timestamp) ? timestamp : null;
}
