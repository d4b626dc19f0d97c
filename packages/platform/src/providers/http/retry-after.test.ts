import { describe, expect, it } from 'vitest';
import { readRetryAfterMs } from './retry-after.ts';

describe('readRetryAfterMs', () => {
  it('prefers retry-after-ms, then seconds, then an HTTP date', () => {
    expect(readRetryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(readRetryAfterMs(new Headers({ 'retry-after': '7' }))).toBe(7000);
    const now = Date.parse('2026-11-24T12:00:00Z');
    expect(readRetryAfterMs(new Headers({ 'retry-after': 'Tue, 24 Nov 2026 12:00:30 GMT' }), now)).toBe(
      30_000,
    );
    expect(readRetryAfterMs(new Headers())).toBeUndefined();
    expect(readRetryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
  });
});
