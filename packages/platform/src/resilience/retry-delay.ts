import { isPlatformError } from '../errors/index.ts';
import type { RandomSource } from '../support/index.ts';
import type { RetrySettings } from './resilience-types.ts';

/** The largest extra wait added to an upstream's Retry-After, as a share of it. */
export const retryAfterJitterRatio = 0.1;

/**
 * How long to wait before retry number `attempt` (1 = the first retry), in milliseconds.
 *
 * Without a Retry-After this is exponential backoff with full jitter: a uniform draw from
 * `[0, min(maxDelayMs, baseDelayMs × 2^(attempt−1)))`. With a Retry-After it is that wait plus up to
 * 10 % (never beyond `maxDelayMs`), or null when the upstream asks for longer than `maxDelayMs`: the
 * caller should then try another deployment rather than hold the request.
 */
export function retryDelayMs(
  attempt: number,
  settings: RetrySettings,
  random: RandomSource,
  retryAfterMs?: number,
): number | null {
  const maxDelayMs = Math.max(0, settings.maxDelayMs);
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs)) {
    const requested = Math.max(0, retryAfterMs);
    if (requested > maxDelayMs) return null;
    // why: replicas told the same Retry-After would otherwise all return at the same instant.
    return Math.min(maxDelayMs, requested + random() * requested * retryAfterJitterRatio);
  }
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  const ceiling = settings.baseDelayMs <= 0 ? 0 : Math.min(maxDelayMs, settings.baseDelayMs * 2 ** exponent);
  return random() * ceiling;
}

/**
 * True when another try may succeed: only a PlatformError marked retryable (timeouts, connection
 * failures, 408, 409, 429, 5xx, broken streams). A caller's mistake, any other error, and the
 * client's own abort (its signal's reason is not a retryable PlatformError) are not retried.
 */
export function isRetryableError(error: unknown): boolean {
  return isPlatformError(error) && error.retryable;
}
