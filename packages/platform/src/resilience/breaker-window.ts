import type { CircuitBreakerSettings } from './resilience-types.ts';

/** Buckets per sliding window: finer buckets forget old outcomes more smoothly, at more kv keys. */
export const bucketsPerWindow = 10;

/**
 * One bucket holds both of its counts in one integer, `failures × 2^26 + requests`, so a single
 * atomic increment records an outcome and answers the bucket's exact pair of counts. That leaves
 * 2^26 (67 million) requests per bucket and 2^27 failures before the safe-integer limit.
 */
const failureUnit = 2 ** 26;

export interface WindowCounts {
  requests: number;
  failures: number;
}

export type Outcome = 'success' | 'failure';

/** Width of one bucket; ten of them cover at least the window. */
export function bucketWidthMs(windowMs: number): number {
  return Math.max(1, Math.ceil(windowMs / bucketsPerWindow));
}

/** The amount by which one outcome increments its bucket. */
export function outcomeIncrement(outcome: Outcome): number {
  return outcome === 'failure' ? failureUnit + 1 : 1;
}

/** The counts packed in a bucket's value (0 for a missing or unreadable one). */
export function decodeBucket(value: number | string | null): WindowCounts {
  const number = typeof value === 'string' ? Number(value) : (value ?? 0);
  if (!Number.isSafeInteger(number) || number < 0) return { requests: 0, failures: 0 };
  const failures = Math.floor(number / failureUnit);
  return { requests: number - failures * failureUnit, failures };
}

/** The counts of two stretches of the window together. */
export function addCounts(first: WindowCounts, second: WindowCounts): WindowCounts {
  return { requests: first.requests + second.requests, failures: first.failures + second.failures };
}

/** Closed → open: enough requests in the window, and enough of them failed. */
export function shouldOpen(counts: WindowCounts, settings: CircuitBreakerSettings): boolean {
  return (
    counts.requests >= settings.minimumRequests &&
    counts.failures > 0 &&
    counts.failures / counts.requests >= settings.failureRatio
  );
}

/** Throws on settings a breaker cannot follow (they come from configuration). */
export function assertValidBreakerSettings(settings: CircuitBreakerSettings): void {
  const positive = (value: number) => Number.isFinite(value) && value > 0;
  if (!positive(settings.windowMs))
    throw new Error(`breaker windowMs must be positive, got ${settings.windowMs}`);
  if (!positive(settings.cooldownMs)) {
    throw new Error(`breaker cooldownMs must be positive, got ${settings.cooldownMs}`);
  }
  if (!Number.isSafeInteger(settings.minimumRequests) || settings.minimumRequests < 1) {
    throw new Error(`breaker minimumRequests must be an integer ≥ 1, got ${settings.minimumRequests}`);
  }
  if (!positive(settings.failureRatio) || settings.failureRatio > 1) {
    throw new Error(`breaker failureRatio must be in (0, 1], got ${settings.failureRatio}`);
  }
  if (!Number.isSafeInteger(settings.halfOpenProbes) || settings.halfOpenProbes < 1) {
    throw new Error(`breaker halfOpenProbes must be an integer ≥ 1, got ${settings.halfOpenProbes}`);
  }
}
