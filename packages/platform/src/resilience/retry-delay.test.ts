import { describe, expect, it } from 'vitest';
import { errors, PlatformError, providerErrors } from '../errors/index.ts';
import { seededRandom } from '../support/index.ts';
import type { RetrySettings } from './resilience-types.ts';
import { isRetryableError, retryDelayMs } from './retry-delay.ts';

const settings: RetrySettings = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 };

describe('retryDelayMs', () => {
  it('draws full jitter below the exponential ceiling, capped at maxDelayMs', () => {
    const random = seededRandom(42);
    const ceilings = [100, 200, 400, 800, 1_000, 1_000];
    for (const [index, ceiling] of ceilings.entries()) {
      const attempt = index + 1;
      const draws = Array.from({ length: 2_000 }, () => retryDelayMs(attempt, settings, random) as number);
      expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...draws)).toBeLessThan(ceiling);
      // Full jitter spreads over the whole range: the mean sits near half the ceiling.
      const mean = draws.reduce((sum, draw) => sum + draw, 0) / draws.length;
      expect(mean).toBeGreaterThan(ceiling * 0.45);
      expect(mean).toBeLessThan(ceiling * 0.55);
      expect(Math.min(...draws)).toBeLessThan(ceiling * 0.05);
      expect(Math.max(...draws)).toBeGreaterThan(ceiling * 0.95);
    }
  });

  it('maps the random source onto the range exactly', () => {
    expect(retryDelayMs(3, settings, () => 0)).toBe(0);
    expect(retryDelayMs(3, settings, () => 0.5)).toBe(200);
    expect(retryDelayMs(30, settings, () => 0.5)).toBe(500);
    expect(retryDelayMs(2_000, settings, () => 0.5)).toBe(500);
  });

  it('waits a zero base delay as no delay', () => {
    expect(retryDelayMs(4, { ...settings, baseDelayMs: 0 }, () => 0.9)).toBe(0);
  });

  it('honours Retry-After with at most 10 % of jitter on top', () => {
    const random = seededRandom(7);
    const draws = Array.from({ length: 1_000 }, () => retryDelayMs(1, settings, random, 500) as number);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(500);
    expect(Math.max(...draws)).toBeLessThanOrEqual(550);
    expect(new Set(draws).size).toBeGreaterThan(100);
    expect(retryDelayMs(1, settings, () => 0, 500)).toBe(500);
  });

  it('uses Retry-After in place of the backoff, even when it is shorter', () => {
    expect(retryDelayMs(4, settings, () => 0.99, 10)).toBeCloseTo(10.99, 6);
    expect(retryDelayMs(1, settings, () => 0.5, 0)).toBe(0);
  });

  it('never jitters a Retry-After beyond maxDelayMs', () => {
    expect(retryDelayMs(1, settings, () => 0.99, 1_000)).toBe(1_000);
    expect(retryDelayMs(1, settings, () => 0.99, 950)).toBe(1_000);
  });

  it('returns null when Retry-After exceeds maxDelayMs, so the caller moves on', () => {
    expect(retryDelayMs(1, settings, () => 0.5, 1_001)).toBeNull();
    expect(retryDelayMs(1, settings, () => 0.5, 60_000)).toBeNull();
  });

  it('ignores a Retry-After that is not a finite number', () => {
    expect(retryDelayMs(2, settings, () => 0.5, Number.NaN)).toBe(100);
  });
});

describe('isRetryableError', () => {
  const userError = (status: number) =>
    new PlatformError({
      code: 'SOME_USER_ERROR',
      message: 'bad',
      status,
      category: 'user',
      type: 'invalid_request_error',
    });

  const table: Array<[string, unknown, boolean]> = [
    ['provider timeout', providerErrors.timeout('openai', 1_000), true],
    ['connection failure (unavailable)', providerErrors.unavailable('openai', 'ECONNRESET'), true],
    ['408 (mapped to a timeout)', providerErrors.timeout('openai', 0), true],
    ['409 and 5xx (mapped to unavailable)', providerErrors.unavailable('openai', '409: conflict'), true],
    ['429 rate limited', providerErrors.rateLimited('openai', 'slow down', 2_000), true],
    ['broken stream', providerErrors.streamInterrupted('openai', 'socket hang up'), true],
    ['malformed upstream response', providerErrors.badResponse('openai', 'not json'), true],
    ['platform internal error', errors.internal(new Error('boom')), true],
    ['provider rejected the request (400)', providerErrors.invalidRequest('openai', 'bad field'), false],
    ['context length exceeded', providerErrors.contextLengthExceeded('gpt', 10, 5), false],
    ['content filtered', providerErrors.contentFiltered('openai', 'policy'), false],
    ['provider credentials refused', providerErrors.authenticationFailed('openai', 'bad key'), false],
    ['model missing at the provider', providerErrors.modelNotFound('openai', 'gpt', 'nope'), false],
    ['caller 400', userError(400), false],
    ['caller 404', errors.modelNotFound('nope'), false],
    ['caller 422', userError(422), false],
    ['plain Error', new Error('ECONNRESET'), false],
    ['client abort reason', new Error('client closed the connection'), false],
    ['DOMException AbortError', new DOMException('aborted', 'AbortError'), false],
    ['a string', 'timeout', false],
    ['undefined', undefined, false],
  ];

  it.each(table)('%s → %s', (_name, error, expected) => {
    expect(isRetryableError(error)).toBe(expected);
  });
});
