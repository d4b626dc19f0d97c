import type { Queryable } from '../../storage/db/index.ts';
import type { BudgetCounter, BudgetScope } from '../limits/limits-types.ts';
import { planForOrganization, usdToNanoUsd } from '../plans/index.ts';
import { currentPeriod } from './budget-period.ts';
import { allBudgetsOf } from './budget-repository.ts';
import type { Budget } from './budget-types.ts';

/** Who a request is for: the budgets that apply to it are picked by these. */
export interface BudgetRequest {
  organizationId: string;
  apiKeyId: string | null;
  /** The team of the request's key, when it has one. */
  teamId: string | null;
  /** The request's `user` field, when it sent one. */
  endUser: string | null;
}

/** The counter id of the implicit monthly budget an organisation's plan gives it (no row, so no alerts). */
export function planBudgetId(organizationId: string): string {
  return `plan:${organizationId}`;
}

/** True for the counter ids of implicit plan budgets. */
export function isPlanBudgetId(budgetId: string): boolean {
  return budgetId.startsWith('plan:');
}

/**
 * A budget as the hot path counts it. why Number: counters are nano-USD numbers (limits-types.ts);
 * limits above $9,007,199 are beyond 2⁵³ nano-USD and so only approximately exact there.
 */
export function toBudgetCounter(
  budget: Pick<Budget, 'id' | 'scope' | 'period' | 'limitUsd'>,
  now: number,
): BudgetCounter {
  const window = currentPeriod(budget.period, now);
  return {
    budgetId: budget.id,
    scope: budget.scope,
    limitNanoUsd: Number(usdToNanoUsd(budget.limitUsd)),
    periodKey: window.periodKey,
    resetsAt: window.resetsAt?.getTime() ?? null,
  };
}

/** A plan's monthly budget as an organisation budget. */
export function planBudgetCounter(
  organizationId: string,
  monthlyBudgetUsd: string,
  now: number,
): BudgetCounter {
  return toBudgetCounter(
    { id: planBudgetId(organizationId), scope: 'organization', period: 'month', limitUsd: monthlyBudgetUsd },
    now,
  );
}

/** An organisation's budgets arranged for lookup by request. */
export interface OrganizationBudgets {
  organization: Budget | null;
  /** The plan's monthly budget, when the organisation has no organisation budget of its own. */
  planMonthlyBudgetUsd: string | null;
  byApiKey: ReadonlyMap<string, Budget>;
  byTeam: ReadonlyMap<string, Budget>;
  byEndUser: ReadonlyMap<string, Budget>;
}

/** Indexes an organisation's budgets by scope and subject; a plan budget only stands in for a missing organisation budget. */
export function arrangeBudgets(
  budgets: readonly Budget[],
  planMonthlyBudgetUsd: string | null,
): OrganizationBudgets {
  const byScope = (scope: BudgetScope) =>
    new Map(budgets.filter((budget) => budget.scope === scope).map((budget) => [budget.subject, budget]));
  const organization = budgets.find((budget) => budget.scope === 'organization') ?? null;
  return {
    organization,
    planMonthlyBudgetUsd: organization ? null : planMonthlyBudgetUsd,
    byApiKey: byScope('api_key'),
    byTeam: byScope('team'),
    byEndUser: byScope('end_user'),
  };
}

/** The counters that apply to a request: organisation (or plan), team, key, end user — in that order. */
export function countersFor(
  arranged: OrganizationBudgets,
  request: BudgetRequest,
  now: number,
): BudgetCounter[] {
  const counters: BudgetCounter[] = [];
  if (arranged.organization) counters.push(toBudgetCounter(arranged.organization, now));
  else if (arranged.planMonthlyBudgetUsd !== null)
    counters.push(planBudgetCounter(request.organizationId, arranged.planMonthlyBudgetUsd, now));
  const teamBudget = request.teamId === null ? undefined : arranged.byTeam.get(request.teamId);
  if (teamBudget) counters.push(toBudgetCounter(teamBudget, now));
  const keyBudget = request.apiKeyId === null ? undefined : arranged.byApiKey.get(request.apiKeyId);
  if (keyBudget) counters.push(toBudgetCounter(keyBudget, now));
  const userBudget = request.endUser === null ? undefined : arranged.byEndUser.get(request.endUser);
  if (userBudget) counters.push(toBudgetCounter(userBudget, now));
  return counters;
}

/** Reads an organisation's budgets and its plan's budget from the store. */
export async function loadOrganizationBudgets(
  database: Queryable,
  organizationId: string,
): Promise<OrganizationBudgets> {
  const [budgets, plan] = await Promise.all([
    allBudgetsOf(database, organizationId),
    planForOrganization(database, organizationId),
  ]);
  return arrangeBudgets(budgets, plan?.monthlyBudgetUsd ?? null);
}

/** The budgets of a request, straight from the store (the hot path uses the budget directory instead). */
export async function budgetsForRequest(
  database: Queryable,
  request: BudgetRequest,
  now: number,
): Promise<BudgetCounter[]> {
  return countersFor(await loadOrganizationBudgets(database, request.organizationId), request, now);
}
