import { describe, expect, it } from 'vitest';
import { createManualClock, systemClock } from '../support/index.ts';
import { createUpstreamLimiter } from './upstream-limiter.ts';

describe('createUpstreamLimiter', () => {
  it('always allows a deployment without a quota', () => {
    const limiter = createUpstreamLimiter(createManualClock());
    for (let index = 0; index < 10_000; index++) {
      expect(limiter.tryAcquire('open', {}, 1_000_000)).toEqual({ allowed: true });
    }
    expect(limiter.tryAcquire('open', { requestsPerMinute: 0 }, 5)).toEqual({ allowed: true });
  });

  it('allows a burst of RPM requests, then says when the next one fits', () => {
    const clock = createManualClock();
    const limiter = createUpstreamLimiter(clock);
    const quota = { requestsPerMinute: 60 };
    for (let index = 0; index < 60; index++) expect(limiter.tryAcquire('a', quota, 0).allowed).toBe(true);
    expect(limiter.tryAcquire('a', quota, 0)).toEqual({ allowed: false, retryAfterMs: 1_000 });
    clock.advance(500);
    expect(limiter.tryAcquire('a', quota, 0)).toEqual({ allowed: false, retryAfterMs: 500 });
    clock.advance(500);
    expect(limiter.tryAcquire('a', quota, 0).allowed).toBe(true);
    expect(limiter.tryAcquire('a', quota, 0).allowed).toBe(false);
    // Deployments have their own buckets.
    expect(limiter.tryAcquire('b', quota, 0).allowed).toBe(true);
  });

  it('refills continuously and never beyond the quota', () => {
    const clock = createManualClock();
    const limiter = createUpstreamLimiter(clock);
    const quota = { requestsPerMinute: 6 };
    for (let index = 0; index < 6; index++) limiter.tryAcquire('a', quota, 0);
    clock.advance(30_000);
    expect(limiter.tryAcquire('a', quota, 0).allowed).toBe(true);
    expect(limiter.tryAcquire('a', quota, 0).allowed).toBe(true);
    expect(limiter.tryAcquire('a', quota, 0).allowed).toBe(true);
    expect(limiter.tryAcquire('a', quota, 0)).toEqual({ allowed: false, retryAfterMs: 10_000 });
    clock.advance(3_600_000);
    let granted = 0;
    while (limiter.tryAcquire('a', quota, 0).allowed) granted++;
    expect(granted).toBe(6);
  });

  it('charges estimated tokens against TPM and waits until they fit', () => {
    const clock = createManualClock();
    const limiter = createUpstreamLimiter(clock);
    const quota = { tokensPerMinute: 6_000 };
    expect(limiter.tryAcquire('a', quota, 4_000).allowed).toBe(true);
    expect(limiter.tryAcquire('a', quota, 2_000).allowed).toBe(true);
    // 3 000 tokens refill at 100 per second.
    expect(limiter.tryAcquire('a', quota, 3_000)).toEqual({ allowed: false, retryAfterMs: 30_000 });
    clock.advance(30_000);
    expect(limiter.tryAcquire('a', quota, 3_000).allowed).toBe(true);
  });

  it('needs both buckets to fit and takes from neither when one refuses', () => {
    const clock = createManualClock();
    const limiter = createUpstreamLimiter(clock);
    const quota = { requestsPerMinute: 2, tokensPerMinute: 1_000 };
    expect(limiter.tryAcquire('a', quota, 900).allowed).toBe(true);
    expect(limiter.tryAcquire('a', quota, 500)).toEqual({ allowed: false, retryAfterMs: 24_000 });
    // The refused call took no request: a small one still fits.
    expect(limiter.tryAcquire('a', quota, 100).allowed).toBe(true);
    // Now the request bucket is the one that refuses (30 s per request).
    expect(limiter.tryAcquire('a', quota, 0)).toEqual({ allowed: false, retryAfterMs: 30_000 });
  });

  it('lets a request bigger than the whole TPM quota through once the bucket is full', () => {
    const clock = createManualClock();
    const limiter = createUpstreamLimiter(clock);
    const quota = { tokensPerMinute: 1_000 };
    expect(limiter.tryAcquire('a', quota, 5_000).allowed).toBe(true);
    // It left a debt of 4 000 tokens: a full bucket is 5 minutes away.
    expect(limiter.tryAcquire('a', quota, 5_000)).toEqual({ allowed: false, retryAfterMs: 300_000 });
  });

  it('settle returns unused estimated tokens', () => {
    const clock = createManualClock();
    const limiter = createUpstreamLimiter(clock);
    const quota = { tokensPerMinute: 1_000 };
    expect(limiter.tryAcquire('a', quota, 800).allowed).toBe(true);
    expect(limiter.tryAcquire('a', quota, 500).allowed).toBe(false);
    limiter.settle('a', quota, 800, 300);
    expect(limiter.tryAcquire('a', quota, 500).allowed).toBe(true);
    expect(limiter.tryAcquire('a', quota, 300)).toEqual({ allowed: false, retryAfterMs: 6_000 });
  });

  it('settle charges usage above the estimate, never refilling beyond the quota', () => {
    const clock = createManualClock();
    const limiter = createUpstreamLimiter(clock);
    const quota = { tokensPerMinute: 1_000 };
    expect(limiter.tryAcquire('a', quota, 100).allowed).toBe(true);
    limiter.settle('a', quota, 100, 1_100);
    expect(limiter.tryAcquire('a', quota, 1)).toEqual({ allowed: false, retryAfterMs: 6_060 });

    limiter.tryAcquire('b', quota, 10);
    limiter.settle('b', quota, 10_000, 0);
    let granted = 0;
    while (limiter.tryAcquire('b', quota, 100).allowed) granted++;
    expect(granted).toBe(10);
  });

  it('settle is a no-op without a TPM quota or an earlier acquire', () => {
    const limiter = createUpstreamLimiter(createManualClock());
    expect(() => limiter.settle('never', { tokensPerMinute: 10 }, 5, 50)).not.toThrow();
    expect(() => limiter.settle('never', {}, 5, 50)).not.toThrow();
    expect(limiter.tryAcquire('never', { tokensPerMinute: 10 }, 10).allowed).toBe(true);
  });

  it('pause empties the request bucket until the Retry-After has passed', () => {
    const clock = createManualClock();
    const limiter = createUpstreamLimiter(clock);
    const quota = { requestsPerMinute: 600, tokensPerMinute: 1_000_000 };
    expect(limiter.tryAcquire('a', quota, 10).allowed).toBe(true);
    limiter.pause('a', 2_000);
    expect(limiter.tryAcquire('a', quota, 10)).toEqual({ allowed: false, retryAfterMs: 2_000 });
    clock.advance(1_500);
    expect(limiter.tryAcquire('a', quota, 10)).toEqual({ allowed: false, retryAfterMs: 500 });
    clock.advance(500);
    // The bucket refilled from empty during the pause: 20 requests at 10 per second.
    let granted = 0;
    while (limiter.tryAcquire('a', quota, 10).allowed) granted++;
    expect(granted).toBe(20);
  });

  it('pause holds back a deployment that has no quota, and a shorter pause never shortens it', () => {
    const clock = createManualClock();
    const limiter = createUpstreamLimiter(clock);
    limiter.pause('a', 5_000);
    limiter.pause('a', 1_000);
    expect(limiter.tryAcquire('a', {}, 0)).toEqual({ allowed: false, retryAfterMs: 5_000 });
    clock.advance(5_000);
    expect(limiter.tryAcquire('a', {}, 0)).toEqual({ allowed: true });
    limiter.pause('a', 0);
    limiter.pause('a', Number.NaN);
    expect(limiter.tryAcquire('a', {}, 0)).toEqual({ allowed: true });
  });

  it('follows a quota changed by a config reload', () => {
    const clock = createManualClock();
    const limiter = createUpstreamLimiter(clock);
    for (let index = 0; index < 100; index++) limiter.tryAcquire('a', { requestsPerMinute: 1_000 }, 0);
    // Shrinking the quota caps what is left at the new capacity.
    let granted = 0;
    while (limiter.tryAcquire('a', { requestsPerMinute: 10 }, 0).allowed) granted++;
    expect(granted).toBe(10);
  });

  it('refills on the system clock', async () => {
    const limiter = createUpstreamLimiter(systemClock);
    const quota = { requestsPerMinute: 60_000 };
    let granted = 0;
    while (limiter.tryAcquire('a', quota, 0).allowed) granted++;
    // The loop itself takes real milliseconds, each refilling one request.
    expect(granted).toBeGreaterThanOrEqual(60_000);
    expect(granted).toBeLessThan(61_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // 1 000 per second: about 50 more after 50 ms.
    granted = 0;
    while (limiter.tryAcquire('a', quota, 0).allowed) granted++;
    expect(granted).toBeGreaterThanOrEqual(40);
    expect(granted).toBeLessThan(200);
  });
});
