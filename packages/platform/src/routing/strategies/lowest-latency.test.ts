import { describe, expect, it } from 'vitest';
import { createDeploymentStats } from '../deployment-stats.ts';
import { expectedLatencyMs, orderLowestLatency } from './lowest-latency.ts';

function manualClock() {
  let now = 1_000_000;
  return {
    now: () => now,
    advance: (milliseconds: number) => {
      now += milliseconds;
    },
    sleep: async () => {},
  };
}

function record(
  stats: ReturnType<typeof createDeploymentStats>,
  deployment: string,
  outcomes: Array<{ ok: boolean; latencyMs: number }>,
) {
  for (const outcome of outcomes) stats.begin(deployment).end(outcome);
}

const repeat = (count: number, outcome: { ok: boolean; latencyMs: number }) =>
  Array.from({ length: count }, () => outcome);

describe('orderLowestLatency', () => {
  const deployments = [
    { id: 'azure/slow', weight: 1 },
    { id: 'azure/fast-but-failing', weight: 1 },
    { id: 'openai/fast', weight: 1 },
  ];

  it('prefers the fast healthy deployment over a slow one and a fast failing one', () => {
    const stats = createDeploymentStats({ clock: manualClock() });
    record(stats, 'azure/slow', repeat(30, { ok: true, latencyMs: 900 }));
    record(stats, 'openai/fast', repeat(30, { ok: true, latencyMs: 200 }));
    record(stats, 'azure/fast-but-failing', [
      ...repeat(10, { ok: true, latencyMs: 150 }),
      ...repeat(40, { ok: false, latencyMs: 5 }),
    ]);
    expect(orderLowestLatency(deployments, stats).map((deployment) => deployment.id)).toEqual([
      'openai/fast',
      'azure/slow',
      'azure/fast-but-failing',
    ]);
  });

  it('explores deployments without recent outcomes first', () => {
    const clock = manualClock();
    const stats = createDeploymentStats({ clock, staleAfterMs: 60_000 });
    record(stats, 'azure/slow', repeat(5, { ok: true, latencyMs: 900 }));
    record(stats, 'openai/fast', repeat(5, { ok: true, latencyMs: 200 }));
    expect(orderLowestLatency(deployments, stats)[0]!.id).toBe('azure/fast-but-failing');

    record(stats, 'azure/fast-but-failing', repeat(5, { ok: true, latencyMs: 500 }));
    expect(orderLowestLatency(deployments, stats).map((deployment) => deployment.id)).toEqual([
      'openai/fast',
      'azure/fast-but-failing',
      'azure/slow',
    ]);

    clock.advance(30_000);
    record(stats, 'openai/fast', repeat(1, { ok: true, latencyMs: 200 }));
    clock.advance(40_000);
    // The other two have not been heard from for 70 s: explored again, before the known one.
    expect(orderLowestLatency(deployments, stats).map((deployment) => deployment.id)).toEqual([
      'azure/slow',
      'azure/fast-but-failing',
      'openai/fast',
    ]);
  });

  it('ranks a deployment that only failed after those with successes', () => {
    const stats = createDeploymentStats({ clock: manualClock() });
    record(stats, 'azure/slow', repeat(3, { ok: true, latencyMs: 5000 }));
    record(stats, 'azure/fast-but-failing', repeat(3, { ok: false, latencyMs: 1 }));
    record(stats, 'openai/fast', repeat(3, { ok: true, latencyMs: 100 }));
    expect(orderLowestLatency(deployments, stats).map((deployment) => deployment.id)).toEqual([
      'openai/fast',
      'azure/slow',
      'azure/fast-but-failing',
    ]);
  });
});

describe('expectedLatencyMs', () => {
  it('multiplies latency by 1 + 10 × error rate', () => {
    expect(expectedLatencyMs({ latencyMs: 100, errorRate: 0, samples: 5 })).toBe(100);
    expect(expectedLatencyMs({ latencyMs: 100, errorRate: 0.1, samples: 5 })).toBeCloseTo(200, 9);
    expect(expectedLatencyMs({ latencyMs: null, errorRate: 1, samples: 5 })).toBe(Number.POSITIVE_INFINITY);
  });
});
