import type { Clock } from '../support/index.ts';
import { createRecentOutcomes, type OutcomeCounts, type RecentOutcomes } from './recent-outcomes.ts';

/** One call to a deployment in progress; `end` or `discard` it exactly once (later calls are ignored). */
export interface DeploymentObservation {
  end(outcome: { ok: boolean; latencyMs: number }): void;
  /**
   * Ends a call whose outcome says nothing about the deployment (its caller provoked the failure):
   * it leaves the in-flight count and is not counted anywhere else.
   */
  discard(): void;
}

/** The smoothed view of a deployment that strategies read. */
export interface DeploymentEstimate {
  /** EWMA of successful calls' latency; null when only failures have been seen. */
  latencyMs: number | null;
  /** EWMA of failures (1) and successes (0), starting from 0. */
  errorRate: number;
  samples: number;
}

/** One row of the health endpoint. */
export interface DeploymentHealth {
  deployment: string;
  inFlight: number;
  /** Calls started since the process began. */
  requests: number;
  successes: number;
  failures: number;
  latencyMs: number | null;
  /** The smoothed failure rate routing steers by (an EWMA from 0): not a share of calls. */
  errorRateEwma: number;
  /** Calls that ended in the last `windowMs`, and how many of them failed. */
  recent: OutcomeCounts & { windowMs: number };
  /** When the last call ended (ms since the epoch); null before any did. */
  lastOutcomeAt: number | null;
  /** True when the estimates are too old to steer routing (see `staleAfterMs`). */
  stale: boolean;
}

export interface DeploymentStats {
  /** Marks a call as started; the handle records its outcome. */
  begin(deployment: string): DeploymentObservation;
  inFlight(deployment: string): number;
  /** Null for a deployment without a recent outcome: strategies then explore it. */
  estimate(deployment: string): DeploymentEstimate | null;
  /** Every deployment seen so far, by id. */
  snapshot(): DeploymentHealth[];
  /** The window of each row's `recent` counts. */
  readonly recentWindowMs: number;
}

export interface DeploymentStatsOptions {
  clock: Clock;
  /** Outcomes after which an old sample weighs half; default 20. */
  halfLifeSamples?: number;
  /** Estimates older than this are ignored, default 60,000 ms. */
  staleAfterMs?: number;
  /** The window of the recent call and failure counts, default 60,000 ms (in 1-second buckets). */
  recentWindowMs?: number;
}

interface DeploymentRecord {
  inFlight: number;
  requests: number;
  successes: number;
  failures: number;
  latencyMs: number | null;
  errorRate: number;
  recent: RecentOutcomes;
  lastOutcomeAt: number | null;
}

/**
 * In-process per-deployment statistics: calls in flight, and exponentially weighted moving averages
 * of latency and error rate with a half-life counted in outcomes (alpha = 1 − 2^(−1/halfLife)).
 * Latency averages successful calls only, since failures often return fast and would make a broken
 * deployment look quick. The error rate starts at 0 so one early failure does not bury a deployment;
 * that makes it a steering signal, not a share of calls (one failed call reads 0.034), so the health
 * view also counts the calls and failures of a recent window, from which the true ratio follows.
 * Memory is one small record (and a ring of 60 buckets) per deployment id.
 */
export function createDeploymentStats(options: DeploymentStatsOptions): DeploymentStats {
  const halfLife = options.halfLifeSamples ?? 20;
  if (!(halfLife > 0)) throw new Error('halfLifeSamples must be positive');
  const alpha = 1 - 2 ** (-1 / halfLife);
  // Why a staleness limit: a deployment avoided for its errors receives no traffic that could show
  // it has recovered; forgetting old estimates lets strategies explore it again (its breaker still
  // protects callers if it has not).
  const staleAfterMs = options.staleAfterMs ?? 60_000;
  const recentWindowMs = options.recentWindowMs ?? 60_000;
  const recentBucketMs = Math.min(1000, recentWindowMs);
  const records = new Map<string, DeploymentRecord>();

  const recordFor = (deployment: string): DeploymentRecord => {
    let record = records.get(deployment);
    if (record === undefined) {
      record = {
        inFlight: 0,
        requests: 0,
        successes: 0,
        failures: 0,
        latencyMs: null,
        errorRate: 0,
        recent: createRecentOutcomes(recentWindowMs, recentBucketMs),
        lastOutcomeAt: null,
      };
      records.set(deployment, record);
    }
    return record;
  };

  const isStale = (record: DeploymentRecord): boolean =>
    record.lastOutcomeAt === null || options.clock.now() - record.lastOutcomeAt > staleAfterMs;

  return {
    begin(deployment) {
      const record = recordFor(deployment);
      record.inFlight++;
      record.requests++;
      let ended = false;
      return {
        discard() {
          if (ended) return;
          ended = true;
          record.inFlight--;
          record.requests--;
        },
        end(outcome) {
          if (ended) return;
          ended = true;
          record.inFlight--;
          if (isStale(record)) {
            record.latencyMs = null;
            record.errorRate = 0;
          }
          record.errorRate += alpha * ((outcome.ok ? 0 : 1) - record.errorRate);
          if (outcome.ok) {
            record.successes++;
            const latency = Math.max(0, outcome.latencyMs);
            record.latencyMs =
              record.latencyMs === null ? latency : record.latencyMs + alpha * (latency - record.latencyMs);
          } else {
            record.failures++;
          }
          record.lastOutcomeAt = options.clock.now();
          record.recent.add(outcome.ok, record.lastOutcomeAt);
        },
      };
    },
    recentWindowMs,
    inFlight: (deployment) => records.get(deployment)?.inFlight ?? 0,
    estimate(deployment) {
      const record = records.get(deployment);
      if (record === undefined || isStale(record)) return null;
      return {
        latencyMs: record.latencyMs,
        errorRate: record.errorRate,
        samples: record.successes + record.failures,
      };
    },
    snapshot() {
      const now = options.clock.now();
      return [...records]
        .map(([deployment, record]) => ({
          deployment,
          inFlight: record.inFlight,
          requests: record.requests,
          successes: record.successes,
          failures: record.failures,
          latencyMs: record.latencyMs,
          errorRateEwma: record.errorRate,
          recent: { ...record.recent.counts(now), windowMs: recentWindowMs },
          lastOutcomeAt: record.lastOutcomeAt,
          stale: isStale(record),
        }))
        .sort((first, second) => first.deployment.localeCompare(second.deployment));
    },
  };
}
