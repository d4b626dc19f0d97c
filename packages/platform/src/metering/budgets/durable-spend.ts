import type { Queryable } from '../../storage/db/index.ts';
import { decimalToPicoUsd } from '../cost.ts';
import type { BudgetCounter } from '../limits/limits-types.ts';
import { periodStartOfKey } from './budget-period.ts';

/** Whom a budget counts: the organisation, and the key, team or end user for those scopes. */
export interface BudgetSubject {
  organizationId: string;
  apiKeyId: string | null;
  teamId: string | null;
  endUser: string | null;
}

const recordFilter = {
  organization: '',
  api_key: 'AND api_key_id = $4',
  end_user: 'AND end_user = $4',
  team: 'AND team_id = $4',
} as const;

/** The same filters on the daily rollups, which carry no end user. */
const rollupFilter = {
  organization: '',
  api_key: 'AND api_key = $4',
  end_user: undefined,
  team: 'AND team = $4',
} as const;

const dayMs = 86_400_000;
const atMidnight = (instant: Date | 'infinity') => instant === 'infinity' || instant.getTime() % dayMs === 0;

/**
 * What the usage records say a budget's current period has spent, in nano-USD rounded up: the
 * durable truth the live counters are reconciled with. Budget periods (UTC days, months, all time)
 * begin and end at UTC midnight, so for the organisation, key and team scopes the sum is read off
 * the daily rollups, which hold exactly the records' sums, the current day's included; an end
 * user's budget scans the records (one indexed range scan, pruned to the period's partitions).
 */
export async function durableSpendNanoUsd(
  database: Queryable,
  budget: BudgetCounter,
  subject: BudgetSubject,
): Promise<number> {
  const start = periodStartOfKey(budget.periodKey);
  // why 'infinity' for a total budget: a far-future Date is out of PostgreSQL's timestamp range.
  const end = budget.resetsAt === null ? 'infinity' : new Date(budget.resetsAt);
  const parameters: unknown[] = [subject.organizationId, start, end];
  if (budget.scope === 'api_key') parameters.push(subject.apiKeyId);
  if (budget.scope === 'end_user') parameters.push(subject.endUser);
  if (budget.scope === 'team') parameters.push(subject.teamId);
  const fromRollups = rollupFilter[budget.scope];
  const sql =
    fromRollups !== undefined && atMidnight(start) && atMidnight(end)
      ? `SELECT coalesce(sum(cost_usd), 0)::numeric(24, 12)::text AS spent FROM usage_rollups_daily
          WHERE organization_id = $1 AND day_start >= $2 AND day_start < $3::timestamptz ${fromRollups}`
      : `SELECT coalesce(sum(cost_usd), 0)::numeric(24, 12)::text AS spent FROM usage_records
          WHERE organization_id = $1 AND created_at >= $2 AND created_at < $3::timestamptz ${recordFilter[budget.scope]}`;
  const result = await database.query<{ spent: string }>(sql, parameters);
  const picoUsd = decimalToPicoUsd(result.rows[0]?.spent ?? '0');
  return Number((picoUsd + 999n) / 1000n);
}
