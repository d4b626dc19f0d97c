import type { Budget, WebhookSummary } from '../../metering/budgets/index.ts';
import type { Plan, PlanRateLimits } from '../../metering/plans/index.ts';
import type { ApiKey, Organization, ProviderKeySummary } from '../../tenancy/index.ts';

/**
 * What the audit log keeps of each administered thing, in the API's snake_case: what identifies it
 * and what an administrator changes, never a secret (the audit log's redaction is the net beneath).
 */

export function organizationSummary(organization: Organization) {
  return {
    id: organization.id,
    name: organization.name,
    metadata: organization.metadata,
    plan_id: organization.planId,
    disabled_at: organization.disabledAt,
  };
}

export function apiKeySummary(apiKey: ApiKey) {
  return {
    id: apiKey.id,
    name: apiKey.name,
    role: apiKey.role,
    scopes: apiKey.scopes,
    team_id: apiKey.teamId,
    user_id: apiKey.userId,
    display_prefix: apiKey.displayPrefix,
    allowed_models: apiKey.allowedModels,
    metadata: apiKey.metadata,
    expires_at: apiKey.expiresAt,
    revoked_at: apiKey.revokedAt,
  };
}

/** The provider and its base URL; the key itself, sealed or not, and its suffix are left out. */
export function providerKeySummary(summary: ProviderKeySummary) {
  return { provider: summary.provider, base_url: summary.baseUrl };
}

export function rateLimitsSummary(limits: PlanRateLimits) {
  return {
    requests_per_minute: limits.requestsPerMinute,
    tokens_per_minute: limits.tokensPerMinute,
    concurrent_requests: limits.concurrentRequests,
  };
}

export function planSummary(plan: Plan) {
  return {
    id: plan.id,
    name: plan.name,
    rank: plan.rank,
    monthly_price_usd: plan.monthlyPriceUsd,
    monthly_request_quota: plan.monthlyRequestQuota,
    allowed_models: plan.allowedModels,
    rate_limits: rateLimitsSummary(plan.rateLimits),
    monthly_budget_usd: plan.monthlyBudgetUsd,
    max_agents_per_run: plan.maxAgentsPerRun,
    knowledge_max_file_bytes: plan.knowledgeMaxFileBytes,
    knowledge_max_documents: plan.knowledgeMaxDocuments,
    knowledge_max_chunks: plan.knowledgeMaxChunks,
  };
}

/** The budget's settings; its spend and reservations are usage, not administration. */
export function budgetSummary(budget: Budget) {
  return {
    id: budget.id,
    scope: budget.scope,
    subject: budget.subject,
    limit_usd: budget.limitUsd,
    period: budget.period,
    alert_thresholds: budget.alertThresholds,
  };
}

/** The URL only: the signing secret is sealed and never leaves the webhook repository. */
export function webhookSummary(webhook: WebhookSummary) {
  return { url: webhook.url };
}
