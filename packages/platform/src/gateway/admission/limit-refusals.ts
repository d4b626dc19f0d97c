import type { PlatformError } from '../../errors/index.ts';
import { isPlanBudgetId } from '../../metering/budgets/index.ts';
import type { ConcurrencyRule, RateLimitState, ReservationOutcome } from '../../metering/limits/index.ts';
import {
  describeUpgrade,
  nanoUsdToUsd,
  type Plan,
  type PlanRateLimits,
  suggestUpgrade,
} from '../../metering/plans/index.ts';
import { limitErrors } from './limit-errors.ts';
import { formatResetDuration } from './rate-limit-headers.ts';

const usd = (nanoUsd: number) => `$${nanoUsdToUsd(BigInt(Math.ceil(nanoUsd)))}`;
const scopeName = { organization: 'organization', team: 'team', api_key: 'API key' } as const;

/** The cheapest bigger plan whose limit of this kind is higher (or unlimited), as a sentence. */
function higherLimitHint(plan: Plan | null, field: keyof PlanRateLimits, plans: readonly Plan[]): string {
  const current = plan?.rateLimits[field] ?? null;
  if (plan === null || current === null) {
    return 'Ask an administrator to raise the limit (PUT /v1/admin/organizations/{id}/rate-limits).';
  }
  const bigger = plans
    .filter((candidate) => candidate.rank > plan.rank)
    .filter((candidate) => {
      const limit = candidate.rateLimits[field];
      return limit === null || limit > current;
    })[0];
  return `${describeUpgrade(plan, bigger ?? null)} An administrator can also set the organization's own limit.`;
}

export function quotaRefusal(
  plan: Plan,
  quota: number,
  resetsAt: number,
  now: number,
  plans: readonly Plan[],
): PlatformError {
  const upgrade = suggestUpgrade(plan, { requests: quota + 1 }, plans);
  return limitErrors.quotaExceeded(
    `The ${plan.name} plan's quota of ${quota} model requests per month is used up; it resets at ${new Date(resetsAt).toISOString()}.`,
    describeUpgrade(plan, upgrade),
    Math.max(1000, resetsAt - now),
  );
}

export function rateRefusal(
  refused: RateLimitState,
  retryAfterMs: number,
  plan: Plan | null,
  plans: readonly Plan[],
): PlatformError {
  const { rule } = refused;
  const per = rule.kind === 'requests' ? 'requests per minute' : 'tokens per minute';
  const alone = rule.cost > rule.limit;
  const message = alone
    ? `This request needs ${rule.cost} tokens, more than the ${scopeName[rule.scope]}'s limit of ${rule.limit} ${per}; lower max_tokens or shorten the prompt.`
    : `Rate limit reached for ${per} on this ${scopeName[rule.scope]}: limit ${rule.limit}, remaining ${Math.max(0, refused.remaining)}. Retry in ${formatResetDuration(retryAfterMs)}.`;
  const hint =
    rule.scope === 'api_key'
      ? "The key's own limit applies; an organization admin can raise it (PUT /v1/admin/organizations/{id}/keys/{key_id}/rate-limits)."
      : rule.scope === 'team'
        ? "The team's limit applies; an organization admin can raise it (PUT /v1/admin/organizations/{id}/teams/{team_id}/rate-limits)."
        : higherLimitHint(plan, rule.kind === 'requests' ? 'requestsPerMinute' : 'tokensPerMinute', plans);
  return limitErrors.rateLimited(message, hint, Math.max(1, retryAfterMs), alone ? 'max_tokens' : null);
}

export function concurrencyRefusal(
  rule: ConcurrencyRule,
  plan: Plan | null,
  plans: readonly Plan[],
): PlatformError {
  return limitErrors.concurrencyLimited(
    `Too many concurrent requests on this ${scopeName[rule.scope]}: at most ${rule.limit} at once.`,
    rule.scope === 'api_key' || rule.scope === 'team'
      ? `Wait for a request to finish; an organization admin can raise the ${scopeName[rule.scope]}'s limit.`
      : `Wait for a request to finish. ${higherLimitHint(plan, 'concurrentRequests', plans)}`,
  );
}

export function budgetRefusal(
  outcome: Extract<ReservationOutcome, { ok: false }>,
  amountNanoUsd: number,
  plan: Plan | null,
  plans: readonly Plan[],
  now: number,
): PlatformError {
  const { budget } = outcome;
  const resets =
    budget.resetsAt === null
      ? 'It never resets (a total budget).'
      : `It resets at ${new Date(budget.resetsAt).toISOString()}.`;
  const figures = `limit ${usd(budget.limitNanoUsd)}, spent ${usd(outcome.spentNanoUsd)}, reserved by requests in flight ${usd(outcome.reservedNanoUsd)}, this request may cost up to ${usd(amountNanoUsd)}`;
  const retryAfterMs = budget.resetsAt === null ? undefined : Math.max(1000, budget.resetsAt - now);
  if (isPlanBudgetId(budget.budgetId) && plan) {
    const needed = (outcome.spentNanoUsd + outcome.reservedNanoUsd + amountNanoUsd) / 1e9;
    return limitErrors.budgetExceeded(
      `The ${plan.name} plan's monthly budget would be exceeded (${figures}). ${resets}`,
      `${describeUpgrade(plan, suggestUpgrade(plan, { budgetUsd: needed }, plans))} Or lower max_tokens.`,
      retryAfterMs,
    );
  }
  const scope = budget.scope.replace('_', ' ');
  return limitErrors.budgetExceeded(
    `The ${scope} budget ${budget.budgetId} would be exceeded (${figures}). ${resets}`,
    'Lower max_tokens, wait for the reset, or ask an organization admin to raise the budget (PATCH /v1/admin/organizations/{id}/budgets/{budget_id}).',
    retryAfterMs,
  );
}
