/**
 * A token bucket refilled continuously: `capacity` tokens per minute, holding at most `capacity`.
 * The level may go below zero: a charge larger than what is left (a request bigger than the whole
 * bucket, or usage above the estimate) becomes debt that the refill pays back first.
 */
export interface TokenBucket {
  capacity: number;
  level: number;
  /** Epoch ms up to which the level has been refilled. */
  refilledAt: number;
}

const minuteMs = 60_000;

/** A full bucket. */
export function createTokenBucket(capacity: number, now: number): TokenBucket {
  return { capacity, level: capacity, refilledAt: now };
}

/** Brings the level up to `now` (under a possibly changed capacity, after a config reload). */
export function refill(bucket: TokenBucket, capacity: number, now: number): void {
  if (capacity !== bucket.capacity) {
    bucket.capacity = capacity;
    bucket.level = Math.min(bucket.level, capacity);
  }
  if (now <= bucket.refilledAt) return;
  bucket.level = Math.min(capacity, bucket.level + ((now - bucket.refilledAt) * capacity) / minuteMs);
  bucket.refilledAt = now;
}

/**
 * Milliseconds until `amount` fits (0 when it fits now). An amount above the capacity is treated
 * as the capacity, so an oversized request waits for a full bucket instead of forever.
 */
export function waitFor(bucket: TokenBucket, amount: number, now: number): number {
  const needed = Math.min(amount, bucket.capacity);
  const level = Math.min(
    bucket.capacity,
    bucket.level + (Math.max(0, now - bucket.refilledAt) * bucket.capacity) / minuteMs,
  );
  if (level >= needed) return 0;
  return ((needed - level) * minuteMs) / bucket.capacity;
}
