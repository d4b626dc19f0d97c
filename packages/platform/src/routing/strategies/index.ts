export { orderLeastInFlight } from './least-in-flight.ts';
export { type CostEstimateInput, estimateRequestCost, orderLowestCost } from './lowest-cost.ts';
export { errorRatePenalty, expectedLatencyMs, orderLowestLatency } from './lowest-latency.ts';
export { orderDeployments, type StrategyContext } from './order-deployments.ts';
export { orderWeighted } from './weighted.ts';
export type { WeightedDeployment } from './weighted-deployment.ts';
