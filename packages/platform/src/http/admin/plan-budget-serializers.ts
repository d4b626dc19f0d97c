import type {
  Budget,
  BudgetAlert,
  BudgetPeriodWindow,
  WebhookSummary,
} from '../../metering/budgets/index.ts';
import type { Plan, PlanRateLimits } from '../../metering/plans/index.ts';

/** Rate limits in the API's snake_case, null where none is set. */
export function serializeRateLimits(limits: PlanRateLimits) {
  return {
    requests_per_minute: limits.requestsPerMinute,
    tokens_per_minute: limits.tokensPerMinute,
    concurrent_requests: limits.concurrentRequests,
  };
}

/** A plan in the same snake_case fields PUT /v1/admin/plans/{id} and the config file accept. */
export function serializePlan(plan: Plan) {
  return {
    id: plan.id,
    object: 'plan' as const,
    name: plan.name,
    source: plan.source,
    rank: plan.rank,
    monthly_price_usd: plan.monthlyPriceUsd,
    monthly_request_quota: plan.monthlyRequestQuota,
    allowed_models: plan.allowedModels,
    ...serializeRateLimits(plan.rateLimits),
    monthly_budget_usd: plan.monthlyBudgetUsd,
    max_agents_per_run: plan.maxAgentsPerRun,
    knowledge_max_file_bytes: plan.knowledgeMaxFileBytes,
    knowledge_max_documents: plan.knowledgeMaxDocuments,
    knowledge_max_chunks: plan.knowledgeMaxChunks,
    created_at: plan.createdAt.toISOString(),
    updated_at: plan.updatedAt.toISOString(),
  };
}

/** A budget's current period: its key, start and when it resets (null for 'total'). */
export function serializePeriod(window: BudgetPeriodWindow) {
  return {
    key: window.periodKey,
    start: window.start.toISOString(),
    resets_at: window.resetsAt?.toISOString() ?? null,
  };
}

/** A budget with its current period and spend (`spent_usd` settled, `reserved_usd` held by requests in flight). */
export function serializeBudget(
  budget: Budget,
  current: { window: BudgetPeriodWindow; spentUsd: string; reservedUsd: string },
) {
  return {
    id: budget.id,
    object: 'budget' as const,
    organization_id: budget.organizationId,
    scope: budget.scope,
    subject: budget.subject,
    limit_usd: budget.limitUsd,
    period: budget.period,
    alert_thresholds: budget.alertThresholds,
    current_period: serializePeriod(current.window),
    spent_usd: current.spentUsd,
    reserved_usd: current.reservedUsd,
    created_at: budget.createdAt.toISOString(),
    updated_at: budget.updatedAt.toISOString(),
  };
}

/** An alert as the API lists it, with its delivery state. */
export function serializeBudgetAlert(alert: BudgetAlert) {
  return {
    id: alert.id,
    object: 'budget_alert' as const,
    type: 'budget.threshold_reached' as const,
    organization_id: alert.organizationId,
    budget_id: alert.budgetId,
    threshold: alert.threshold,
    spent_usd: alert.spentUsd,
    limit_usd: alert.limitUsd,
    period_start: alert.periodStart.toISOString(),
    created_at: alert.createdAt.toISOString(),
    delivered_at: alert.deliveredAt?.toISOString() ?? null,
    delivery_attempts: alert.deliveryAttempts,
    last_delivery_error: alert.lastDeliveryError,
  };
}

/** A webhook: never its secret (PUT returns a generated one once, beside this). */
export function serializeWebhook(webhook: WebhookSummary) {
  return {
    object: 'webhook' as const,
    organization_id: webhook.organizationId,
    url: webhook.url,
    events: ['budget.threshold_reached'],
    signature: {
      header: 'x-kimi-signature',
      scheme: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" under the secret>',
    },
    created_at: webhook.createdAt.toISOString(),
    updated_at: webhook.updatedAt.toISOString(),
  };
}
