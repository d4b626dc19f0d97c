import { describe, expect, it } from 'vitest';
import { ConnectionError, RateLimitError, ValidationError } from '../errors/index.ts';
import { backoffDelayMs, defaultRetryPolicy, shouldRetry } from './retry-policy.ts';

const policy = { ...defaultRetryPolicy, baseDelayMs: 100, maxDelayMs: 1000 };

describe('backoffDelayMs (full jitter)', () => {
  it('draws uniformly below min(cap, base·2^attempt)', () => {
    expect(backoffDelayMs(policy, 0, undefined, () => 0.999)).toBeCloseTo(99.9);
    expect(backoffDelayMs(policy, 3, undefined, () => 0.5)).toBe(400);
    expect(backoffDelayMs(policy, 10, undefined, () => 0.5)).toBe(500);
    expect(backoffDelayMs(policy, 2, undefined, () => 0)).toBe(0);
  });

  it('never waits less than Retry-After', () => {
    expect(backoffDelayMs(policy, 0, 3000, () => 0.5)).toBe(3000);
    expect(backoffDelayMs(policy, 5, 10, () => 0.5)).toBe(500);
  });
});

describe('shouldRetry', () => {
  const answered = new RateLimitError({ message: 'slow down', code: 'RATE_LIMIT_EXCEEDED', status: 429 });
  const unanswered = new ConnectionError({ message: 'reset', code: 'CONNECTION_ERROR' });

  it('retries retryable errors up to maxRetries', () => {
    expect(shouldRetry(policy, answered, 0, false)).toBe(true);
    expect(shouldRetry(policy, answered, policy.maxRetries, false)).toBe(false);
    const invalid = new ValidationError({ message: 'bad', code: 'INVALID_REQUEST', status: 400 });
    expect(shouldRetry(policy, invalid, 0, true)).toBe(false);
  });

  it('sends a request without an answer again only when that is safe', () => {
    expect(shouldRetry(policy, unanswered, 0, false)).toBe(false);
    expect(shouldRetry(policy, unanswered, 0, true)).toBe(true);
  });

  it('does not wait for a Retry-After beyond the policy', () => {
    const long = new RateLimitError({
      message: 'later',
      code: 'RATE_LIMIT_EXCEEDED',
      status: 429,
      retryAfterMs: 3_600_000,
    });
    expect(shouldRetry(policy, long, 0, true)).toBe(false);
  });
});
