export { type CallDeadlineOptions, createCallDeadline } from './call-deadline.ts';
export {
  type CircuitBreakersOptions,
  createCircuitBreakers,
  type KeyValueCircuitBreakers,
} from './circuit-breaker.ts';
export type {
  BreakerPermit,
  BreakerSnapshot,
  BreakerState,
  CallDeadline,
  CircuitBreakerSettings,
  CircuitBreakers,
  LimiterDecision,
  RetryBudget,
  RetryBudgetSettings,
  RetrySettings,
  TimeoutSettings,
  UpstreamLimiter,
  UpstreamQuota,
} from './resilience-types.ts';
export { createRetryBudget } from './retry-budget.ts';
export { isRetryableError, retryAfterJitterRatio, retryDelayMs } from './retry-delay.ts';
export { createUpstreamLimiter } from './upstream-limiter.ts';
