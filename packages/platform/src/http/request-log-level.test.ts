import { describe, expect, it } from 'vitest';
import { requestLogLevel } from './request-log-level.ts';

describe('request log sampling by level', () => {
  it('always writes 5xx as error and 4xx as warn, whatever the rate', () => {
    expect(requestLogLevel(503, 0)).toBe('error');
    expect(requestLogLevel(429, 0)).toBe('warn');
  });

  it('writes successes at the sample rate', () => {
    expect(requestLogLevel(200, 1, () => 0.999)).toBe('info');
    expect(requestLogLevel(200, 0.1, () => 0.05)).toBe('info');
    expect(requestLogLevel(200, 0.1, () => 0.5)).toBeNull();
    expect(requestLogLevel(204, 0, () => 0)).toBeNull();
  });
});
