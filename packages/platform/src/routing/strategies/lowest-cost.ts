import type { PriceTable } from '../../metering/index.ts';
import { compareByWeightThenPosition, type WeightedDeployment } from './weighted-deployment.ts';

/** The size of the request being priced. */
export interface CostEstimateInput {
  promptTokens: number;
  /** The completion length expected (the router uses `max_tokens`, else 512). */
  completionTokens: number;
}

/** The estimated price in pico-USD of one request, or null when the model has no price. */
export function estimateRequestCost(
  prices: PriceTable,
  modelId: string,
  size: CostEstimateInput,
): bigint | null {
  const price = prices.priceFor(modelId);
  if (price === null) return null;
  return (
    BigInt(Math.max(0, Math.ceil(size.promptTokens))) * price.inputPicoUsd +
    BigInt(Math.max(0, Math.ceil(size.completionTokens))) * price.outputPicoUsd
  );
}

/**
 * Cheapest first by {@link estimateRequestCost}; unpriced deployments last (their cost is unknown,
 * not zero); ties by weight, then config order.
 */
export function orderLowestCost<Deployment extends WeightedDeployment>(
  deployments: readonly Deployment[],
  prices: PriceTable,
  size: CostEstimateInput,
): Deployment[] {
  return deployments
    .map((deployment, position) => ({
      deployment,
      position,
      weight: deployment.weight,
      cost: estimateRequestCost(prices, deployment.id, size),
    }))
    .sort(
      (first, second) => compareCost(first.cost, second.cost) || compareByWeightThenPosition(first, second),
    )
    .map(({ deployment }) => deployment);
}

function compareCost(first: bigint | null, second: bigint | null): number {
  if (first === second) return 0;
  if (first === null) return 1;
  if (second === null) return -1;
  return first < second ? -1 : first > second ? 1 : 0;
}
