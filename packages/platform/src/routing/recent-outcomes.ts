/** Calls and failures counted over a sliding window. */
export interface OutcomeCounts {
  calls: number;
  failures: number;
}

/** One deployment's recent outcomes, in whole buckets, so memory stays fixed per deployment. */
export interface RecentOutcomes {
  add(ok: boolean, now: number): void;
  /** The outcomes of the buckets that end after `now − windowMs`: the last window, to a bucket. */
  counts(now: number): OutcomeCounts;
}

interface Bucket {
  /** floor(time / bucketMs) of the bucket this slot holds now. */
  index: number;
  calls: number;
  failures: number;
}

/**
 * A ring of `windowMs / bucketMs` buckets. A slot is reused once its bucket has left the window,
 * so reading costs one pass over the ring and writing one slot.
 */
export function createRecentOutcomes(windowMs: number, bucketMs: number): RecentOutcomes {
  if (!(bucketMs > 0) || !(windowMs >= bucketMs)) {
    throw new Error(`windowMs (${windowMs}) must be at least bucketMs (${bucketMs}), which must be positive`);
  }
  const size = Math.ceil(windowMs / bucketMs);
  const ring: Bucket[] = Array.from({ length: size }, () => ({
    index: Number.NEGATIVE_INFINITY,
    calls: 0,
    failures: 0,
  }));
  return {
    add(ok, now) {
      const index = Math.floor(now / bucketMs);
      const bucket = ring[((index % size) + size) % size]!;
      if (bucket.index !== index) {
        bucket.index = index;
        bucket.calls = 0;
        bucket.failures = 0;
      }
      bucket.calls += 1;
      if (!ok) bucket.failures += 1;
    },
    counts(now) {
      const current = Math.floor(now / bucketMs);
      let calls = 0;
      let failures = 0;
      for (const bucket of ring) {
        if (bucket.index > current - size && bucket.index <= current) {
          calls += bucket.calls;
          failures += bucket.failures;
        }
      }
      return { calls, failures };
    },
  };
}
