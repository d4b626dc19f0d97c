import type { Queryable } from '../../storage/db/index.ts';
import type { BudgetPeriod, BudgetScope } from '../limits/limits-types.ts';
import { type BudgetAlert, toBudgetAlert } from './budget-alerts.ts';

/** The body POSTed to an organisation's webhook when a budget reaches a threshold. */
export interface BudgetThresholdEvent {
  type: 'budget.threshold_reached';
  /** Stable across retries: receivers deduplicate by it. */
  id: string;
  organization_id: string;
  budget: { id: string; scope: BudgetScope; subject: string; period: BudgetPeriod; limit_usd: string };
  /** Percent of the limit. */
  threshold: number;
  spent_usd: string;
  period_start: string;
  created_at: string;
}

/** An alert with the budget it belongs to, as delivery needs it. */
export interface DeliverableAlert {
  alert: BudgetAlert;
  budget: { id: string; scope: BudgetScope; subject: string; period: BudgetPeriod };
}

/** The webhook body of an alert. */
export function toThresholdEvent({ alert, budget }: DeliverableAlert): BudgetThresholdEvent {
  return {
    type: 'budget.threshold_reached',
    id: alert.id,
    organization_id: alert.organizationId,
    budget: { ...budget, limit_usd: alert.limitUsd },
    threshold: alert.threshold,
    spent_usd: alert.spentUsd,
    period_start: alert.periodStart.toISOString(),
    created_at: alert.createdAt.toISOString(),
  };
}

/** One alert and its budget (deleted budgets included: the alert was raised while it lived). */
export async function findDeliverableAlert(
  database: Queryable,
  key: { budgetId: string; periodStart: Date; threshold: number },
): Promise<DeliverableAlert | null> {
  const result = await database.query<{
    budget_id: string;
    organization_id: string;
    period_start: Date;
    threshold: number;
    spent_usd: string;
    limit_usd: string;
    created_at: Date;
    delivered_at: Date | null;
    delivery_attempts: number;
    last_delivery_error: string | null;
    scope: BudgetScope;
    subject: string;
    period: BudgetPeriod;
  }>(
    `SELECT a.budget_id, a.organization_id, a.period_start, a.threshold, a.spent_usd, a.limit_usd, a.created_at,
            a.delivered_at, a.delivery_attempts, a.last_delivery_error, b.scope, b.subject, b.period
       FROM budget_alerts a JOIN budgets b ON b.id = a.budget_id
      WHERE a.budget_id = $1 AND a.period_start = $2 AND a.threshold = $3`,
    [key.budgetId, key.periodStart, key.threshold],
  );
  const row = result.rows[0];
  if (!row) return null;
  return {
    alert: toBudgetAlert(row),
    budget: { id: row.budget_id, scope: row.scope, subject: row.subject, period: row.period },
  };
}

/** Records one delivery try: delivered, or the error (kept short; it is shown through the API). */
export async function recordDeliveryAttempt(
  database: Queryable,
  key: { budgetId: string; periodStart: Date; threshold: number },
  outcome: { delivered: true } | { delivered: false; error: string },
): Promise<void> {
  await database.query(
    `UPDATE budget_alerts SET delivery_attempts = delivery_attempts + 1,
       delivered_at = CASE WHEN $4 THEN now() ELSE delivered_at END,
       last_delivery_error = CASE WHEN $4 THEN NULL ELSE $5 END
      WHERE budget_id = $1 AND period_start = $2 AND threshold = $3`,
    [
      key.budgetId,
      key.periodStart,
      key.threshold,
      outcome.delivered,
      outcome.delivered ? null : outcome.error.slice(0, 500),
    ],
  );
}

/** Undelivered alerts that still have tries left, oldest first (the sweep re-enqueues them). */
export async function undeliveredAlerts(
  database: Queryable,
  options: { maxAttempts: number; createdAfter: Date; limit: number },
): Promise<
  Array<{ budgetId: string; periodStart: Date; threshold: number; period: BudgetPeriod; attempts: number }>
> {
  const result = await database.query<{
    budget_id: string;
    period_start: Date;
    threshold: number;
    period: BudgetPeriod;
    delivery_attempts: number;
  }>(
    `SELECT a.budget_id, a.period_start, a.threshold, b.period, a.delivery_attempts
       FROM budget_alerts a JOIN budgets b ON b.id = a.budget_id
      WHERE a.delivered_at IS NULL AND a.delivery_attempts < $1 AND a.created_at > $2
      ORDER BY a.created_at LIMIT $3`,
    [options.maxAttempts, options.createdAfter, options.limit],
  );
  return result.rows.map((row) => ({
    budgetId: row.budget_id,
    periodStart: row.period_start,
    threshold: row.threshold,
    period: row.period,
    attempts: row.delivery_attempts,
  }));
}
