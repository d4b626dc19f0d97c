import type { PriceTable } from '../../metering/index.ts';
import type { RandomSource } from '../../support/index.ts';
import type { DeploymentStats } from '../deployment-stats.ts';
import type { RoutingStrategy } from '../routing-config-schema.ts';
import { orderLeastInFlight } from './least-in-flight.ts';
import { type CostEstimateInput, orderLowestCost } from './lowest-cost.ts';
import { orderLowestLatency } from './lowest-latency.ts';
import { orderWeighted } from './weighted.ts';
import type { WeightedDeployment } from './weighted-deployment.ts';

/** What the strategies read besides the deployments. */
export interface StrategyContext {
  stats: Pick<DeploymentStats, 'inFlight' | 'estimate'>;
  random: RandomSource;
  prices: PriceTable;
  size: CostEstimateInput;
}

/** Orders a group's deployments for one request by the group's strategy. */
export function orderDeployments<Deployment extends WeightedDeployment>(
  strategy: RoutingStrategy,
  deployments: readonly Deployment[],
  context: StrategyContext,
): Deployment[] {
  if (deployments.length <= 1) return [...deployments];
  switch (strategy) {
    case 'weighted':
      return orderWeighted(deployments, context.random);
    case 'least-in-flight':
      return orderLeastInFlight(deployments, context.stats);
    case 'lowest-latency':
      return orderLowestLatency(deployments, context.stats);
    case 'lowest-cost':
      return orderLowestCost(deployments, context.prices, context.size);
  }
}
