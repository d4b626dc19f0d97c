export { createKeyValueRateLimiter, type KeyValueRateLimiterOptions } from './key-value-rate-limiter.ts';
export { createKeyValueSpendLedger, type KeyValueSpendLedgerOptions } from './key-value-spend-ledger.ts';
export type {
  BudgetCounter,
  BudgetLevel,
  BudgetPeriod,
  BudgetScope,
  ConcurrencyRule,
  LimitsTake,
  RateAdjustment,
  RateLimitDecision,
  RateLimiter,
  RateLimitRule,
  RateLimitScope,
  RateLimitState,
  ReservationOutcome,
  ReservationRequest,
  SpendLedger,
} from './limits-types.ts';
export { createSqlSpendLedger, type SqlSpendLedgerOptions } from './sql-spend-ledger.ts';
