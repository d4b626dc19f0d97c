import { describe, expect, it } from 'vitest';
import { createDeploymentStats } from './deployment-stats.ts';

function manualClock() {
  let now = 5_000;
  return {
    now: () => now,
    advance: (milliseconds: number) => {
      now += milliseconds;
    },
    sleep: async () => {},
  };
}

describe('createDeploymentStats', () => {
  it('counts calls in flight and ends each observation once', () => {
    const stats = createDeploymentStats({ clock: manualClock() });
    const first = stats.begin('sim/fast');
    const second = stats.begin('sim/fast');
    expect(stats.inFlight('sim/fast')).toBe(2);
    expect(stats.inFlight('sim/smart')).toBe(0);
    first.end({ ok: true, latencyMs: 10 });
    first.end({ ok: true, latencyMs: 10 });
    expect(stats.inFlight('sim/fast')).toBe(1);
    second.end({ ok: false, latencyMs: 10 });
    expect(stats.inFlight('sim/fast')).toBe(0);
    expect(stats.snapshot()).toEqual([
      expect.objectContaining({
        deployment: 'sim/fast',
        inFlight: 0,
        requests: 2,
        successes: 1,
        failures: 1,
      }),
    ]);
  });

  it('forgets a discarded observation: it only leaves the in-flight count', () => {
    const stats = createDeploymentStats({ clock: manualClock() });
    stats.begin('sim/fast').end({ ok: true, latencyMs: 10 });
    const provoked = stats.begin('sim/fast');
    expect(stats.inFlight('sim/fast')).toBe(1);
    provoked.discard();
    provoked.end({ ok: false, latencyMs: 10 });
    expect(stats.inFlight('sim/fast')).toBe(0);
    expect(stats.snapshot()[0]).toMatchObject({
      requests: 1,
      successes: 1,
      failures: 0,
      errorRateEwma: 0,
      recent: { calls: 1, failures: 0 },
    });
  });

  it('keeps an EWMA of latency whose half-life is counted in outcomes', () => {
    const stats = createDeploymentStats({ clock: manualClock(), halfLifeSamples: 10 });
    stats.begin('a/model').end({ ok: true, latencyMs: 100 });
    expect(stats.estimate('a/model')?.latencyMs).toBe(100);
    for (let sample = 0; sample < 10; sample++) stats.begin('a/model').end({ ok: true, latencyMs: 300 });
    // After one half-life the old value weighs half: 100 + (300 − 100) / 2.
    expect(stats.estimate('a/model')?.latencyMs).toBeCloseTo(200, 6);
  });

  it('averages latency over successes only and tracks the error rate from 0', () => {
    const stats = createDeploymentStats({ clock: manualClock(), halfLifeSamples: 1 });
    stats.begin('a/model').end({ ok: false, latencyMs: 3 });
    expect(stats.estimate('a/model')).toEqual({ latencyMs: null, errorRate: 0.5, samples: 1 });
    stats.begin('a/model').end({ ok: true, latencyMs: 400 });
    expect(stats.estimate('a/model')).toEqual({ latencyMs: 400, errorRate: 0.25, samples: 2 });
  });

  it('forgets estimates older than staleAfterMs', () => {
    const clock = manualClock();
    const stats = createDeploymentStats({ clock, staleAfterMs: 1000 });
    for (let sample = 0; sample < 20; sample++) stats.begin('a/model').end({ ok: false, latencyMs: 1 });
    expect(stats.estimate('a/model')?.errorRate).toBeGreaterThan(0.4);
    clock.advance(1001);
    expect(stats.estimate('a/model')).toBeNull();
    expect(stats.snapshot()[0]?.stale).toBe(true);
    stats.begin('a/model').end({ ok: true, latencyMs: 50 });
    expect(stats.estimate('a/model')).toMatchObject({ latencyMs: 50, errorRate: 0 });
  });

  it('counts the calls and failures of the recent window besides the EWMA', () => {
    const clock = manualClock();
    const stats = createDeploymentStats({ clock, recentWindowMs: 10_000 });
    for (let call = 0; call < 4; call++) stats.begin('a/model').end({ ok: false, latencyMs: 1 });
    const [failing] = stats.snapshot();
    expect(failing?.recent).toEqual({ calls: 4, failures: 4, windowMs: 10_000 });
    expect(failing?.errorRateEwma).toBeLessThan(0.2);
    clock.advance(6000);
    stats.begin('a/model').end({ ok: true, latencyMs: 1 });
    expect(stats.snapshot()[0]?.recent).toEqual({ calls: 5, failures: 4, windowMs: 10_000 });
    clock.advance(5000);
    expect(stats.snapshot()[0]?.recent).toEqual({ calls: 1, failures: 0, windowMs: 10_000 });
  });

  it('rejects a non-positive half-life', () => {
    expect(() => createDeploymentStats({ clock: manualClock(), halfLifeSamples: 0 })).toThrow(
      /halfLifeSamples/,
    );
  });
});
