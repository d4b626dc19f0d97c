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

const scopeFilter = {
  organization: '',
  api_key: 'AND api_key_id = $4',
  end_user: 'AND end_user = $4',
  team: 'AND team_id = $4',
} as const;

/**
 * What the usage records say a budget's current period has spent, in nano-USD rounded up: the
 * durable truth the live counters are reconciled with. One indexed range scan per call.
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
  const result = await database.query<{ spent: string }>(
    `SELECT coalesce(sum(cost_usd), 0)::numeric(24, 12)::text AS spent FROM usage_records
      WHERE organization_id = $1 AND created_at >= $2 AND created_at < $3::timestamptz ${scopeFilter[budget.scope]}`,
    parameters,
  );
  const picoUsd = decimalToPicoUsd(result.rows[0]?.spent ?? '0');
  return Number((picoUsd + 999n) / 1000n);
}
