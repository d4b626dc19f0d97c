import type { DeploymentStats } from '../deployment-stats.ts';
import { compareByWeightThenPosition, type WeightedDeployment } from './weighted-deployment.ts';

/** Fewest calls in flight first; ties go to the higher weight, then to config order. */
export function orderLeastInFlight<Deployment extends WeightedDeployment>(
  deployments: readonly Deployment[],
  stats: Pick<DeploymentStats, 'inFlight'>,
): Deployment[] {
  return deployments
    .map((deployment, position) => ({
      deployment,
      position,
      weight: deployment.weight,
      inFlight: stats.inFlight(deployment.id),
    }))
    .sort((first, second) => first.inFlight - second.inFlight || compareByWeightThenPosition(first, second))
    .map(({ deployment }) => deployment);
}
