import type { Plan, PlanDefinition } from './plan-types.ts';

function matches(pattern: string, name: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('/*')) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}

/**
 * True when the plan allows a model known by any of `names` (what the caller sent, the id it
 * resolved to, the routing group it belongs to). Entries are ids, aliases, groups, `provider/*` or `*`.
 */
export function planAllowsModel(
  plan: Pick<PlanDefinition, 'allowedModels'>,
  names: string | readonly string[],
) {
  if (plan.allowedModels === null) return true;
  const candidates = typeof names === 'string' ? [names] : names;
  return plan.allowedModels.some((pattern) => candidates.some((name) => matches(pattern, name)));
}

/** What a refused request needed; every given part must fit the suggested plan. */
export interface UpgradeNeed {
  /** The model by each name it is known under (requested name, resolved id, group). */
  model?: string | readonly string[];
  /** Model requests this month, counting the refused one. */
  requests?: number;
  /** Monthly spend in USD the plan's implicit budget must allow. */
  budgetUsd?: number;
  /** Agents in one swarm run. */
  agents?: number;
}

function fits(plan: PlanDefinition, need: UpgradeNeed): boolean {
  if (need.model !== undefined && !planAllowsModel(plan, need.model)) return false;
  if (
    need.requests !== undefined &&
    plan.monthlyRequestQuota !== null &&
    plan.monthlyRequestQuota < need.requests
  )
    return false;
  if (
    need.budgetUsd !== undefined &&
    plan.monthlyBudgetUsd !== null &&
    Number(plan.monthlyBudgetUsd) < need.budgetUsd
  )
    return false;
  if (need.agents !== undefined && plan.maxAgentsPerRun !== null && plan.maxAgentsPerRun < need.agents)
    return false;
  return true;
}

/** Custom-priced plans (null) sort after every priced one. */
function priceOf(plan: PlanDefinition): number {
  return plan.monthlyPriceUsd === null ? Number.POSITIVE_INFINITY : Number(plan.monthlyPriceUsd);
}

/**
 * The cheapest plan ranked above `currentPlan` that would allow `need`, or null when none would.
 * Ties in price go to the lower rank. Without a current plan every plan is a candidate.
 */
export function suggestUpgrade<Candidate extends PlanDefinition>(
  currentPlan: PlanDefinition | null,
  need: UpgradeNeed,
  plans: readonly Candidate[],
): Candidate | null {
  const candidates = plans
    .filter((plan) => currentPlan === null || (plan.rank > currentPlan.rank && plan.id !== currentPlan.id))
    .filter((plan) => fits(plan, need))
    .sort((left, right) => priceOf(left) - priceOf(right) || left.rank - right.rank);
  return candidates[0] ?? null;
}

/**
 * The sentence a refusal ends with, e.g. "Upgrade to the Basic plan ($49/month) to allow this." or
 * "No plan above Premium allows this; contact the platform administrator."
 */
export function describeUpgrade(
  currentPlan: Pick<Plan, 'name'> | null,
  suggestion: PlanDefinition | null,
): string {
  if (suggestion === null) {
    return currentPlan
      ? `No plan above ${currentPlan.name} allows this; contact the platform administrator.`
      : 'No plan allows this; contact the platform administrator.';
  }
  const price =
    suggestion.monthlyPriceUsd === null ? 'custom pricing' : `$${suggestion.monthlyPriceUsd}/month`;
  return `Upgrade to the ${suggestion.name} plan (${price}) to allow this.`;
}
