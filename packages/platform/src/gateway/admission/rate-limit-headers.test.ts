import { describe, expect, it } from 'vitest';
import { formatResetDuration, rateLimitHeaders } from './rate-limit-headers.ts';

describe('rate limit headers', () => {
  it('formats durations as OpenAI does', () => {
    expect(formatResetDuration(0)).toBe('0ms');
    expect(formatResetDuration(250)).toBe('250ms');
    expect(formatResetDuration(1000)).toBe('1s');
    expect(formatResetDuration(60_000)).toBe('1m0s');
    expect(formatResetDuration(361_000)).toBe('6m1s');
    expect(formatResetDuration(3_700_000)).toBe('1h1m40s');
  });

  it('reports the tightest limit of each kind', () => {
    const rule = (scope: 'organization' | 'api_key', kind: 'requests' | 'tokens', limit: number) => ({
      key: `${scope}:${kind}`,
      kind,
      scope,
      limit,
      windowMs: 60_000,
      cost: 1,
    });
    const headers = rateLimitHeaders([
      { rule: rule('organization', 'requests', 100), remaining: 40, resetMs: 0, fullResetMs: 1500 },
      { rule: rule('api_key', 'requests', 10), remaining: 3, resetMs: 0, fullResetMs: 20_000 },
      { rule: rule('organization', 'tokens', 10_000), remaining: 10_000, resetMs: 0, fullResetMs: 0 },
    ]);
    expect(headers).toEqual({
      'x-ratelimit-limit-requests': '10',
      'x-ratelimit-remaining-requests': '3',
      'x-ratelimit-reset-requests': '20s',
      'x-ratelimit-limit-tokens': '10000',
      'x-ratelimit-remaining-tokens': '10000',
      'x-ratelimit-reset-tokens': '0ms',
    });
  });

  it('says how long until the window has fully reset, not until one more request fits (as OpenAI does)', () => {
    const rule = { key: 'organization:requests', kind: 'requests' as const, scope: 'organization' as const };
    const headers = rateLimitHeaders([
      // Part of the window used, room for more now: the reset is when the newest charge leaves it.
      {
        rule: { ...rule, limit: 10, windowMs: 60_000, cost: 1 },
        remaining: 9,
        resetMs: 0,
        fullResetMs: 59_990,
      },
    ]);
    expect(headers['x-ratelimit-reset-requests']).toBe('1m0s');
  });
});
