import type { ConfigFile } from '../config/index.ts';
import {
  type Admission,
  createAdmission,
  createBudgetReconciler,
  createMonthlyQuota,
  createRequestQuotaCounter,
} from '../gateway/index.ts';
import { type BudgetDirectory, createBudgetAlertChecker } from '../metering/budgets/index.ts';
import type { PriceTable } from '../metering/index.ts';
import type { PlanDirectory } from '../metering/plans/index.ts';
import type { Database } from '../storage/db/index.ts';
import type { JobQueue } from '../storage/queue/index.ts';
import type { Clock } from '../support/index.ts';
import type { Logger, Metrics, Tracing } from '../telemetry/index.ts';
import type { LimitStores } from './limit-stores.ts';

/** The admission step as createPlatform wires it: its stores, reconciliation, alerts and live settings. */
export function composeAdmission(options: {
  database: Database;
  jobQueue: JobQueue;
  limitStores: LimitStores;
  plans: PlanDirectory;
  budgets: BudgetDirectory;
  /** The limits in force now (they change on a config reload). */
  settings: () => ConfigFile['limits'];
  prices: () => PriceTable;
  clock: Clock;
  metrics: Metrics;
  logger: Logger;
  /** Carries the settling request's trace context onto budget alert jobs. */
  tracing?: Tracing;
}): Admission {
  const { database, limitStores, settings, clock, metrics, logger } = options;
  return createAdmission({
    plans: options.plans,
    budgets: options.budgets,
    spendLedger: limitStores.spendLedger,
    rateLimiter: limitStores.rateLimiter,
    quota: createMonthlyQuota({ counter: createRequestQuotaCounter(limitStores.keyValueStore), database }),
    reconciler: createBudgetReconciler({
      database,
      ledger: limitStores.spendLedger,
      clock,
      intervalMs: () => settings().reconcile_interval_ms,
      onDrift: (budget, from, to) =>
        logger.warn(
          { budget: budget.budgetId, period: budget.periodKey, from, to },
          'budget counter raised to the usage records',
        ),
      onChecked: (raised) => metrics.budgetReconciliations.inc({ outcome: raised ? 'raised' : 'agreed' }),
      onError: (error) => logger.warn({ err: error }, 'budget reconciliation failed'),
    }),
    alerts: createBudgetAlertChecker({
      database,
      queue: options.jobQueue,
      thresholdsFor: options.budgets.thresholdsFor,
      onError: (error) => logger.warn({ err: error }, 'budget alert check failed'),
      ...(options.tracing ? { traceContext: () => options.tracing?.inject({}) ?? {} } : {}),
    }),
    prices: options.prices,
    clock,
    settings: () => ({
      reservationTtlMs: settings().reservation_ttl_ms,
      concurrencyLeaseMs: settings().concurrency_lease_ms,
      maxPendingOperations: settings().max_pending_operations,
    }),
    metrics,
    onError: (error, operation) => logger.warn({ err: error, operation }, 'limits store operation failed'),
  });
}
