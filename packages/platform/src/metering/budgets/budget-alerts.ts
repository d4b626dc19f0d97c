import { createHash } from 'node:crypto';
import type { Queryable } from '../../storage/db/index.ts';
import type { JobQueue } from '../../storage/queue/index.ts';
import type { BudgetLevel, BudgetPeriod } from '../limits/limits-types.ts';
import { nanoUsdToUsd, trimDecimal } from '../plans/index.ts';
import { isPlanBudgetId } from './budget-counters.ts';
import { currentPeriod, periodStartOfKey } from './budget-period.ts';

/** The queue that delivers alerts to webhooks. */
export const alertDeliveryQueue = 'budget-alert-delivery';

/** Retries of a delivery: 8 tries, 5 s doubling (last one about 10 minutes after the first). */
export const defaultDeliveryRetry = { attempts: 8, backoffMs: 5000 };

/** What a delivery job carries: the alert's key, never its payload (the row is the truth). */
export interface AlertDeliveryJob extends Record<string, unknown> {
  budgetId: string;
  /** ISO instant. */
  periodStart: string;
  threshold: number;
  /** The W3C trace context of the request whose settle crossed the threshold (absent from the sweep). */
  traceparent?: string;
  tracestate?: string;
}

/** One recorded alert. */
export interface BudgetAlert {
  /** Stable per (budget, period, threshold): the webhook event id, the same on every retry. */
  id: string;
  budgetId: string;
  organizationId: string;
  periodStart: Date;
  threshold: number;
  spentUsd: string;
  limitUsd: string;
  createdAt: Date;
  deliveredAt: Date | null;
  deliveryAttempts: number;
  lastDeliveryError: string | null;
}

interface AlertRow {
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
}

const alertColumns =
  'budget_id, organization_id, period_start, threshold, spent_usd, limit_usd, created_at, delivered_at, delivery_attempts, last_delivery_error';

/** The event id of an alert: derived, so every replica and every retry agree on it. */
export function alertEventId(budgetId: string, periodStart: Date, threshold: number): string {
  const hash = createHash('sha256')
    .update(`${budgetId}:${periodStart.toISOString()}:${threshold}`)
    .digest('hex');
  return `evt_${hash.slice(0, 24)}`;
}

/** A budget_alerts row as the module shows it. */
export function toBudgetAlert(row: AlertRow): BudgetAlert {
  return {
    id: alertEventId(row.budget_id, row.period_start, row.threshold),
    budgetId: row.budget_id,
    organizationId: row.organization_id,
    periodStart: row.period_start,
    threshold: row.threshold,
    spentUsd: trimDecimal(row.spent_usd),
    limitUsd: trimDecimal(row.limit_usd),
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
    deliveryAttempts: row.delivery_attempts,
    lastDeliveryError: row.last_delivery_error,
  };
}

/** The job id of an alert's delivery, `budget:period:threshold`, so duplicate enqueues collapse. */
export function deliveryJobId(budgetId: string, periodKey: string, threshold: number): string {
  return `${budgetId}:${periodKey}:${threshold}`;
}

/** Thresholds (percent) that `spent` has reached; exact, in integers. */
export function crossedThresholds(level: BudgetLevel, thresholds: readonly number[]): number[] {
  if (level.limitNanoUsd <= 0) return [];
  const spentTimesHundred = BigInt(Math.max(0, Math.floor(level.spentNanoUsd))) * 100n;
  const limit = BigInt(Math.floor(level.limitNanoUsd));
  return thresholds.filter((threshold) => spentTimesHundred >= BigInt(threshold) * limit);
}

/** What checkBudgetAlerts needs; only database, queue and levels are required. */
export interface CheckBudgetAlertsInput {
  database: Queryable;
  queue: JobQueue;
  /** Budget levels after a settle (SpendLedger.settle returns them). */
  levels: readonly BudgetLevel[];
  /** Thresholds of budgets in memory (BudgetDirectory.thresholdsFor); others are read from the store. */
  thresholdsFor?: (budgetId: string) => readonly number[] | undefined;
  /** Skips (budget, period, threshold) keys already known to have fired; see createBudgetAlertChecker. */
  alreadyFired?: (key: string) => boolean;
  /** Told the keys now known to be recorded (inserted here or by another replica before). */
  onRecorded?: (keys: readonly string[]) => void;
  retry?: { attempts: number; backoffMs: number };
  /** The active trace context, put on each delivery job (see AlertDeliveryOptions.tracing). */
  traceContext?: () => Readonly<Record<string, string>>;
}

interface Candidate {
  key: string;
  budgetId: string;
  periodKey: string;
  periodStart: Date;
  threshold: number;
  spentUsd: string;
  limitUsd: string;
}

async function storedThresholds(database: Queryable, budgetIds: string[]): Promise<Map<string, number[]>> {
  if (budgetIds.length === 0) return new Map();
  const result = await database.query<{ id: string; alert_thresholds: number[] }>(
    'SELECT id, alert_thresholds FROM budgets WHERE id = ANY($1::text[]) AND deleted_at IS NULL',
    [budgetIds],
  );
  return new Map(result.rows.map((row) => [row.id, row.alert_thresholds]));
}

/**
 * Records every threshold the levels have crossed (spent only, not reserved) and enqueues a
 * delivery for each alert that is new. The insert is ON CONFLICT DO NOTHING on (budget, period,
 * threshold), so each alert fires once per period across all replicas, and only the replica whose
 * insert won enqueues. Implicit plan budgets have no row and raise no alerts. Returns the new alerts;
 * an enqueue that fails is left to the delivery worker's sweep (the row is already recorded), and
 * the first such error is thrown after all alerts were tried.
 */
export async function checkBudgetAlerts(input: CheckBudgetAlertsInput): Promise<BudgetAlert[]> {
  const levels = input.levels.filter((level) => !isPlanBudgetId(level.budgetId));
  const unknown = levels
    .map((level) => level.budgetId)
    .filter((budgetId) => input.thresholdsFor?.(budgetId) === undefined);
  const fromStore = await storedThresholds(input.database, [...new Set(unknown)]);
  const candidates: Candidate[] = [];
  for (const level of levels) {
    const thresholds = input.thresholdsFor?.(level.budgetId) ?? fromStore.get(level.budgetId);
    if (!thresholds) continue;
    for (const threshold of crossedThresholds(level, thresholds)) {
      const key = deliveryJobId(level.budgetId, level.periodKey, threshold);
      if (input.alreadyFired?.(key)) continue;
      candidates.push({
        key,
        budgetId: level.budgetId,
        periodKey: level.periodKey,
        periodStart: periodStartOfKey(level.periodKey),
        threshold,
        spentUsd: nanoUsdToUsd(BigInt(Math.floor(level.spentNanoUsd))),
        limitUsd: nanoUsdToUsd(BigInt(Math.floor(level.limitNanoUsd))),
      });
    }
  }
  if (candidates.length === 0) return [];
  const inserted = await input.database.query<AlertRow>(
    `INSERT INTO budget_alerts (budget_id, period_start, threshold, organization_id, spent_usd, limit_usd)
     SELECT b.id, candidate.period_start, candidate.threshold, b.organization_id, candidate.spent_usd, candidate.limit_usd
       FROM unnest($1::text[], $2::timestamptz[], $3::integer[], $4::numeric[], $5::numeric[])
            AS candidate (budget_id, period_start, threshold, spent_usd, limit_usd)
       JOIN budgets b ON b.id = candidate.budget_id AND b.deleted_at IS NULL
     ON CONFLICT DO NOTHING
     RETURNING ${alertColumns}`,
    [
      candidates.map((candidate) => candidate.budgetId),
      candidates.map((candidate) => candidate.periodStart),
      candidates.map((candidate) => candidate.threshold),
      candidates.map((candidate) => candidate.spentUsd),
      candidates.map((candidate) => candidate.limitUsd),
    ],
  );
  input.onRecorded?.(candidates.map((candidate) => candidate.key));
  const retry = input.retry ?? defaultDeliveryRetry;
  const identity = (budgetId: string, periodStart: Date, threshold: number) =>
    `${budgetId}|${periodStart.getTime()}|${threshold}`;
  const keys = new Map(
    candidates.map((candidate) => [
      identity(candidate.budgetId, candidate.periodStart, candidate.threshold),
      candidate.key,
    ]),
  );
  let firstError: unknown;
  const alerts = inserted.rows.map(toBudgetAlert);
  for (const alert of alerts) {
    const job: AlertDeliveryJob = {
      budgetId: alert.budgetId,
      periodStart: alert.periodStart.toISOString(),
      threshold: alert.threshold,
      ...input.traceContext?.(),
    };
    try {
      await input.queue.enqueue(alertDeliveryQueue, job, {
        jobId: keys.get(identity(alert.budgetId, alert.periodStart, alert.threshold))!,
        attempts: retry.attempts,
        backoffMs: retry.backoffMs,
      });
    } catch (error) {
      firstError ??= error;
    }
  }
  if (firstError !== undefined) throw firstError;
  return alerts;
}

/** The hot path's alert check: remembers what fired in this process, so a budget past 50% costs no query per request. */
export interface BudgetAlertChecker {
  /** Never throws; errors go to `onError`. */
  check(levels: readonly BudgetLevel[]): Promise<BudgetAlert[]>;
}

const firedMemoryLimit = 100_000;

/** Builds the checker the gateway calls after each settle, with the budget directory's thresholds. */
export function createBudgetAlertChecker(options: {
  database: Queryable;
  queue: JobQueue;
  thresholdsFor?: (budgetId: string) => readonly number[] | undefined;
  retry?: { attempts: number; backoffMs: number };
  onError?: (error: unknown) => void;
  traceContext?: () => Readonly<Record<string, string>>;
}): BudgetAlertChecker {
  const fired = new Set<string>();
  return {
    async check(levels) {
      try {
        return await checkBudgetAlerts({
          ...options,
          levels,
          alreadyFired: (key) => fired.has(key),
          onRecorded(keys) {
            if (fired.size > firedMemoryLimit) fired.clear();
            for (const key of keys) fired.add(key);
          },
        });
      } catch (error) {
        options.onError?.(error);
        return [];
      }
    },
  };
}

/** An organisation's alerts, newest first. */
export async function listBudgetAlerts(
  database: Queryable,
  organizationId: string,
  options: { limit: number; budgetId?: string },
): Promise<BudgetAlert[]> {
  const result = await database.query<AlertRow>(
    `SELECT ${alertColumns} FROM budget_alerts
      WHERE organization_id = $1 AND ($2::text IS NULL OR budget_id = $2)
      ORDER BY created_at DESC, budget_id, threshold LIMIT $3`,
    [organizationId, options.budgetId ?? null, options.limit],
  );
  return result.rows.map(toBudgetAlert);
}

/** The period key of an alert's period, for job ids and payloads. */
export function periodKeyOfAlert(period: BudgetPeriod, periodStart: Date): string {
  return currentPeriod(period, periodStart).periodKey;
}
