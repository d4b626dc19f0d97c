import type { KimiError } from '../errors/index.ts';

export interface RetryPolicy {
  maxRetries: number;
  /** First backoff ceiling, doubled per attempt. */
  baseDelayMs: number;
  /** Largest backoff ceiling. */
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the error is thrown at once. */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: Readonly<RetryPolicy> = Object.freeze({
  maxRetries: 2,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
});

/**
 * Full-jitter backoff (AWS architecture blog): a uniform draw in [0, min(cap, base·2^attempt)],
 * but never less than the server's `Retry-After`. `attempt` counts from 0 for the first retry.
 */
export function backoffDelayMs(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  const jittered = random() * ceiling;
  return Math.max(jittered, retryAfterMs ?? 0);
}

/**
 * Whether to send the request again after `error`. A failure without an answer (connection,
 * timeout) may have been processed, so it is retried only when a retry is safe: an idempotent
 * method, or a request that carries an Idempotency-Key.
 */
export function shouldRetry(
  policy: RetryPolicy,
  error: KimiError,
  retriesSoFar: number,
  retrySafe: boolean,
): boolean {
  if (!error.retryable || retriesSoFar >= policy.maxRetries) return false;
  if (error.retryAfterMs !== undefined && error.retryAfterMs > policy.maxRetryAfterMs) return false;
  const answered = error.status !== undefined;
  return answered || retrySafe;
}
