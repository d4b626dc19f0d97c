import { errors } from '../../errors/index.ts';
import { DatabaseError, type Queryable } from '../../storage/db/index.ts';
import { findApiKey, randomBase62 } from '../../tenancy/index.ts';
import type { BudgetPeriod, BudgetScope } from '../limits/limits-types.ts';
import { trimDecimal } from '../plans/index.ts';
import { budgetErrors } from './budget-errors.ts';
import { currentPeriod } from './budget-period.ts';
import {
  type Budget,
  type BudgetChange,
  defaultAlertThresholds,
  type NewBudgetInput,
} from './budget-types.ts';

interface BudgetRow {
  id: string;
  organization_id: string;
  scope: BudgetScope;
  subject: string;
  limit_usd: string;
  period: BudgetPeriod;
  alert_thresholds: number[];
  period_start: Date;
  spent_usd: string;
  reserved_usd: string;
  created_at: Date;
  updated_at: Date;
}

const columns =
  'id, organization_id, scope, subject, limit_usd, period, alert_thresholds, period_start, spent_usd, reserved_usd, created_at, updated_at';

function toBudget(row: BudgetRow): Budget {
  return {
    id: row.id,
    organizationId: row.organization_id,
    scope: row.scope,
    subject: row.subject,
    limitUsd: trimDecimal(row.limit_usd),
    period: row.period,
    alertThresholds: row.alert_thresholds,
    periodStart: row.period_start,
    spentUsd: trimDecimal(row.spent_usd),
    reservedUsd: trimDecimal(row.reserved_usd),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Longest end-user id a budget can name (requests' `user` field). */
export const maximumEndUserLength = 256;

/**
 * Checks that a budget's subject belongs to the organisation: the organisation itself, one of its
 * live API keys, or any end-user string of 1–256 characters. Throws a 400 naming `subject`.
 */
export async function assertBudgetSubject(
  database: Queryable,
  organizationId: string,
  scope: BudgetScope,
  subject: string,
): Promise<void> {
  switch (scope) {
    case 'organization':
      if (subject !== organizationId) {
        throw errors.invalidRequest(
          'subject',
          `An organization budget's subject must be the organization's own id ('${organizationId}').`,
          "Omit 'subject' for an organization budget, or use scope 'api_key', 'team' or 'end_user'.",
        );
      }
      return;
    case 'api_key': {
      const key = await findApiKey(database, organizationId, subject);
      if (!key || key.revokedAt) {
        throw errors.invalidRequest(
          'subject',
          `'${subject}' is not a live API key of organization '${organizationId}'.`,
          'Use a key id from GET /v1/admin/organizations/{id}/keys.',
        );
      }
      return;
    }
    case 'team': {
      const team = await database.query('SELECT 1 FROM teams WHERE organization_id = $1 AND id = $2', [
        organizationId,
        subject,
      ]);
      if (team.rows.length === 0) {
        throw errors.invalidRequest(
          'subject',
          `'${subject}' is not a team of organization '${organizationId}'.`,
          'Use a team id from GET /v1/admin/organizations/{id}/teams.',
        );
      }
      return;
    }
    case 'end_user':
      if (subject.length === 0 || subject.length > maximumEndUserLength) {
        throw errors.invalidRequest('subject', 'An end-user subject must be 1 to 256 characters.');
      }
      return;
  }
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof DatabaseError && error.code === '23505';
}

/** Creates a budget for the organisation taken from the caller's context; its ledger starts at zero now. */
export async function createBudget(
  database: Queryable,
  organizationId: string,
  input: NewBudgetInput,
  now: number,
): Promise<Budget> {
  await assertBudgetSubject(database, organizationId, input.scope, input.subject);
  try {
    const result = await database.query<BudgetRow>(
      `INSERT INTO budgets (id, organization_id, scope, subject, limit_usd, period, period_start, alert_thresholds)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::integer[]) RETURNING ${columns}`,
      [
        `bud_${randomBase62(20)}`,
        organizationId,
        input.scope,
        input.subject,
        input.limitUsd,
        input.period,
        currentPeriod(input.period, now).start,
        [...(input.alertThresholds ?? defaultAlertThresholds)],
      ],
    );
    return toBudget(result.rows[0]!);
  } catch (error) {
    if (isUniqueViolation(error)) throw budgetErrors.alreadyExists(input.scope, input.subject);
    throw error;
  }
}

/** The organisation's live budgets, keyset-paginated by id. */
export async function listBudgets(
  database: Queryable,
  organizationId: string,
  options: { limit: number; after?: string; scope?: BudgetScope },
): Promise<Budget[]> {
  const result = await database.query<BudgetRow>(
    `SELECT ${columns} FROM budgets
      WHERE organization_id = $1 AND deleted_at IS NULL AND ($2::text IS NULL OR id > $2)
        AND ($3::text IS NULL OR scope = $3)
      ORDER BY id LIMIT $4`,
    [organizationId, options.after ?? null, options.scope ?? null, options.limit],
  );
  return result.rows.map(toBudget);
}

/** Every live budget of an organisation (for the hot-path cache). */
export async function allBudgetsOf(database: Queryable, organizationId: string): Promise<Budget[]> {
  const result = await database.query<BudgetRow>(
    `SELECT ${columns} FROM budgets WHERE organization_id = $1 AND deleted_at IS NULL`,
    [organizationId],
  );
  return result.rows.map(toBudget);
}

/** One live budget of the organisation, or null. */
export async function findBudget(
  database: Queryable,
  organizationId: string,
  id: string,
): Promise<Budget | null> {
  const result = await database.query<BudgetRow>(
    `SELECT ${columns} FROM budgets WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL`,
    [organizationId, id],
  );
  return result.rows[0] ? toBudget(result.rows[0]) : null;
}

/**
 * Changes a budget's limit, period or thresholds; null when the organisation has no such budget.
 * A new period starts a new ledger: the durable spend restarts at zero from the current period's
 * start (live counters are keyed by period, so they restart too).
 */
export async function updateBudget(
  database: Queryable,
  organizationId: string,
  id: string,
  change: BudgetChange,
  now: number,
): Promise<Budget | null> {
  const periodStart = change.period ? currentPeriod(change.period, now).start : null;
  const result = await database.query<BudgetRow>(
    `UPDATE budgets SET
       limit_usd = coalesce($3::numeric, limit_usd),
       alert_thresholds = coalesce($4::integer[], alert_thresholds),
       period_start = CASE WHEN $5::text IS NOT NULL AND $5::text <> period THEN $6::timestamptz ELSE period_start END,
       spent_usd = CASE WHEN $5::text IS NOT NULL AND $5::text <> period THEN 0 ELSE spent_usd END,
       period = coalesce($5::text, period),
       updated_at = now()
     WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING ${columns}`,
    [
      organizationId,
      id,
      change.limitUsd ?? null,
      change.alertThresholds ? [...change.alertThresholds] : null,
      change.period ?? null,
      periodStart,
    ],
  );
  return result.rows[0] ? toBudget(result.rows[0]) : null;
}

/** Soft-deletes a budget (its alerts keep pointing at it); null when there was no live one. */
export async function deleteBudget(
  database: Queryable,
  organizationId: string,
  id: string,
): Promise<Budget | null> {
  const result = await database.query<BudgetRow>(
    `UPDATE budgets SET deleted_at = now(), updated_at = now()
      WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING ${columns}`,
    [organizationId, id],
  );
  return result.rows[0] ? toBudget(result.rows[0]) : null;
}

/**
 * The durable ledger's spend in the budget's current period: what is stored when it is for this
 * period, zero when the stored period has ended (the next reservation rolls it over).
 */
export function ledgerLevelOf(budget: Budget, now: number): { spentUsd: string; reservedUsd: string } {
  const current = currentPeriod(budget.period, now);
  if (budget.periodStart.getTime() !== current.start.getTime()) return { spentUsd: '0', reservedUsd: '0' };
  return { spentUsd: budget.spentUsd, reservedUsd: budget.reservedUsd };
}

/** Organisations whose budgets or plan changed since `since`, and whether any plan changed (then all). */
export async function budgetsChangedSince(
  database: Queryable,
  since: Date,
): Promise<{ changed: string[]; databaseNow: Date }> {
  const result = await database.query<{ organization_id: string | null; database_now: Date }>(
    `SELECT organization_id, now() AS database_now FROM budgets WHERE updated_at >= $1
     UNION SELECT id, now() FROM organizations WHERE updated_at >= $1
     UNION SELECT '*', now() FROM plans WHERE updated_at >= $1
     UNION SELECT NULL, now()`,
    [since],
  );
  // why: now() is one value for the whole statement, and the NULL row guarantees a row.
  const databaseNow = result.rows[0]!.database_now;
  return {
    changed: result.rows.flatMap((row) => (row.organization_id === null ? [] : [row.organization_id])),
    databaseNow,
  };
}
