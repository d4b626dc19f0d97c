export { type AutoRuleFacts, ruleMatches } from './auto-rules.ts';
export {
  type ComplexityScore,
  complexityWeights,
  reasoningCuePatterns,
  type ScorableRequest,
  scoreComplexity,
  scoreFeatures,
} from './complexity.ts';
export {
  autoModelName,
  type BuiltInRoutingGroup,
  builtInRoutingGroups,
  defaultAutoRules,
  defaultRuleName,
} from './default-routing-policy.ts';
export {
  createDeploymentStats,
  type DeploymentEstimate,
  type DeploymentHealth,
  type DeploymentObservation,
  type DeploymentStats,
  type DeploymentStatsOptions,
} from './deployment-stats.ts';
export {
  type CatalogEntry,
  createModelCatalog,
  type ModelCatalog,
  type ResolvedModel,
} from './model-catalog.ts';
export type { OutcomeCounts } from './recent-outcomes.ts';
export type {
  ComplexityFeatures,
  FallbackReason,
  RouteCandidate,
  RoutePlan,
  RoutingDecision,
} from './route-plan.ts';
export {
  createRouter,
  defaultExpectedCompletionTokens,
  type RoutableRequest,
  type RouteInput,
  type Router,
  type RouterOptions,
  type RouteSize,
  type RoutingGroupListing,
} from './router.ts';
export {
  type CostPreference,
  type RoutingConfig,
  type RoutingGroupConfig,
  type RoutingRule,
  type RoutingStrategy,
  routingConfigSchema,
  routingStrategies,
} from './routing-config-schema.ts';
export {
  buildRoutingNamespace,
  type RoutingDeployment,
  type RoutingGroup,
  type RoutingNamespace,
  type RoutingNamespaceOptions,
  type RoutingTarget,
} from './routing-namespace.ts';
export {
  type CostEstimateInput,
  errorRatePenalty,
  estimateRequestCost,
  expectedLatencyMs,
  orderDeployments,
  orderLeastInFlight,
  orderLowestCost,
  orderLowestLatency,
  orderWeighted,
  type StrategyContext,
  type WeightedDeployment,
} from './strategies/index.ts';
