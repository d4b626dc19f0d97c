import type { ConcurrencyRule, RateLimitRule, RateLimitScope } from '../../metering/limits/index.ts';
import { effectiveRateLimits, type Plan, type PlanRateLimits } from '../../metering/plans/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';

const minuteMs = 60_000;

/** The rate-limit and concurrency rules a request runs under: its organisation's (or plan's) and its key's. */
export interface LimitRules {
  rates: RateLimitRule[];
  slots: ConcurrencyRule[];
}

function rulesFor(
  scope: RateLimitScope,
  subject: string,
  limits: PlanRateLimits,
  tokens: number,
  into: LimitRules,
): void {
  if (limits.requestsPerMinute !== null) {
    into.rates.push({
      key: `${scope}:${subject}:requests`,
      kind: 'requests',
      scope,
      limit: limits.requestsPerMinute,
      windowMs: minuteMs,
      cost: 1,
    });
  }
  if (limits.tokensPerMinute !== null) {
    into.rates.push({
      key: `${scope}:${subject}:tokens`,
      kind: 'tokens',
      scope,
      limit: limits.tokensPerMinute,
      windowMs: minuteMs,
      cost: tokens,
    });
  }
  if (limits.concurrentRequests !== null) {
    into.slots.push({ key: `${scope}:${subject}`, scope, limit: limits.concurrentRequests });
  }
}

/**
 * The organisation's own limits where set, else its plan's; the team's and the key's own limits
 * besides (all are checked, so a narrower limit never lifts a wider one).
 */
export function limitRulesFor(context: AuthContext, plan: Plan | null, estimatedTokens: number): LimitRules {
  const rules: LimitRules = { rates: [], slots: [] };
  const organization = effectiveRateLimits(plan?.rateLimits ?? null, context.organizationRateLimits);
  rulesFor('organization', context.organizationId, organization, estimatedTokens, rules);
  if (context.teamId !== null)
    rulesFor('team', context.teamId, context.teamRateLimits, estimatedTokens, rules);
  rulesFor('api_key', context.apiKeyId, context.keyRateLimits, estimatedTokens, rules);
  return rules;
}
