import type { DeploymentEstimate, DeploymentStats } from '../deployment-stats.ts';
import { compareByWeightThenPosition, type WeightedDeployment } from './weighted-deployment.ts';

/**
 * How much slower each unit of error rate makes a deployment look. Why this steep: a failure costs
 * more than its time (a retry, a breaker strike, often a timeout), so one failure in ten doubles it.
 */
export const errorRatePenalty = 10;

/**
 * The latency a deployment is ranked by: EWMA latency of successes × (1 + 10 × EWMA error rate).
 * Infinite without a successful sample.
 */
export function expectedLatencyMs(estimate: DeploymentEstimate): number {
  if (estimate.latencyMs === null) return Number.POSITIVE_INFINITY;
  return estimate.latencyMs * (1 + errorRatePenalty * estimate.errorRate);
}

/**
 * Deployments without a recent outcome first (explored, in weight then config order), then the
 * rest by {@link expectedLatencyMs} ascending; ties by error rate, weight, config order.
 */
export function orderLowestLatency<Deployment extends WeightedDeployment>(
  deployments: readonly Deployment[],
  stats: Pick<DeploymentStats, 'estimate'>,
): Deployment[] {
  return deployments
    .map((deployment, position) => {
      const estimate = stats.estimate(deployment.id);
      return {
        deployment,
        position,
        weight: deployment.weight,
        unknown: estimate === null,
        expected: estimate === null ? 0 : expectedLatencyMs(estimate),
        errorRate: estimate?.errorRate ?? 0,
      };
    })
    .sort(
      (first, second) =>
        Number(second.unknown) - Number(first.unknown) ||
        compareExpected(first.expected, second.expected) ||
        first.errorRate - second.errorRate ||
        compareByWeightThenPosition(first, second),
    )
    .map(({ deployment }) => deployment);
}

function compareExpected(first: number, second: number): number {
  if (first === second) return 0;
  return first < second ? -1 : 1;
}
