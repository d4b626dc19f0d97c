import { z } from 'zod';
import type {
  Budget,
  BudgetAlert,
  BudgetPeriodWindow,
  WebhookSummary,
} from '../../metering/budgets/index.ts';
import type { Plan, PlanRateLimits } from '../../metering/plans/index.ts';
import { timestampSchema } from '../openapi/index.ts';

const usdSchema = z.string().describe('USD as decimal text (exact, at most 9 decimals), e.g. "25" or "0.5".');

export const rateLimitFields = {
  requests_per_minute: z.number().int().nullable().describe('Requests per minute; null: no limit here.'),
  tokens_per_minute: z.number().int().nullable().describe('Tokens per minute; null: no limit here.'),
  concurrent_requests: z
    .number()
    .int()
    .nullable()
    .describe('Requests in flight at once; null: no limit here.'),
};

export const rateLimitsSchema = z
  .object(rateLimitFields)
  .meta({ id: 'RateLimits', description: 'Rate limits, each null where none is set.' });

export const rateLimitsExample = {
  requests_per_minute: 600,
  tokens_per_minute: 200_000,
  concurrent_requests: null,
} satisfies z.output<typeof rateLimitsSchema>;

/** Rate limits in the API's snake_case, null where none is set. */
export function serializeRateLimits(limits: PlanRateLimits): z.output<typeof rateLimitsSchema> {
  return {
    requests_per_minute: limits.requestsPerMinute,
    tokens_per_minute: limits.tokensPerMinute,
    concurrent_requests: limits.concurrentRequests,
  };
}

export const planSchema = z
  .object({
    id: z.string(),
    object: z.literal('plan'),
    name: z.string(),
    source: z
      .enum(['built-in', 'config', 'api'])
      .describe('Where it is defined: built in, the config file, or this API.'),
    rank: z.number().int().describe('Higher is a bigger plan; upgrade suggestions only point upwards.'),
    monthly_price_usd: z.string().nullable().describe('Decimal text; null: a custom price.'),
    monthly_request_quota: z
      .number()
      .int()
      .nullable()
      .describe('Model requests per calendar month (UTC); null: unlimited.'),
    allowed_models: z
      .array(z.string())
      .nullable()
      .describe('Model ids, aliases, routing groups and `provider/*` patterns; null allows every model.'),
    ...rateLimitFields,
    monthly_budget_usd: usdSchema
      .nullable()
      .describe(
        'A monthly organisation budget applied when the organisation has none of its own; null: none.',
      ),
    max_agents_per_run: z
      .number()
      .int()
      .nullable()
      .describe('Most agents one swarm run may have; null: unlimited.'),
    knowledge_max_file_bytes: z
      .number()
      .int()
      .nullable()
      .describe('The largest knowledge document, in bytes; null: unlimited.'),
    knowledge_max_documents: z
      .number()
      .int()
      .nullable()
      .describe('Knowledge documents the organisation may hold; null: unlimited.'),
    knowledge_max_chunks: z
      .number()
      .int()
      .nullable()
      .describe("Chunks the organisation's knowledge documents may hold; null: unlimited."),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({
    id: 'Plan',
    description: 'A plan: what an organisation on it may use. Every null means unlimited.',
  });

export const planExample = {
  id: 'basic',
  object: 'plan',
  name: 'Basic',
  source: 'built-in',
  rank: 10,
  monthly_price_usd: '49',
  monthly_request_quota: 100_000,
  allowed_models: null,
  ...rateLimitsExample,
  monthly_budget_usd: null,
  max_agents_per_run: 8,
  knowledge_max_file_bytes: 10_485_760,
  knowledge_max_documents: 1000,
  knowledge_max_chunks: 100_000,
  created_at: '2026-12-07T16:00:00.000Z',
  updated_at: '2026-12-07T16:00:00.000Z',
} satisfies z.output<typeof planSchema>;

/** A plan in the same snake_case fields PUT /v1/admin/plans/{id} and the config file accept. */
export function serializePlan(plan: Plan): z.output<typeof planSchema> {
  return {
    id: plan.id,
    object: 'plan' as const,
    name: plan.name,
    source: plan.source,
    rank: plan.rank,
    monthly_price_usd: plan.monthlyPriceUsd,
    monthly_request_quota: plan.monthlyRequestQuota,
    allowed_models: plan.allowedModels === null ? null : [...plan.allowedModels],
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

export const budgetPeriodSchema = z
  .object({
    key: z.string().describe("'2026-12-07' (day), '2026-12' (month) or 'total'."),
    start: timestampSchema,
    resets_at: timestampSchema.nullable().describe("When the next period starts; null for 'total'."),
  })
  .meta({ id: 'BudgetPeriod', description: "A budget's current period." });

/** A budget's current period: its key, start and when it resets (null for 'total'). */
export function serializePeriod(window: BudgetPeriodWindow): z.output<typeof budgetPeriodSchema> {
  return {
    key: window.periodKey,
    start: window.start.toISOString(),
    resets_at: window.resetsAt?.toISOString() ?? null,
  };
}

export const budgetScopes = ['organization', 'team', 'api_key', 'end_user'] as const;
export const budgetPeriods = ['day', 'month', 'total'] as const;

export const budgetSchema = z
  .object({
    id: z.string(),
    object: z.literal('budget'),
    organization_id: z.string(),
    scope: z.enum(budgetScopes),
    subject: z
      .string()
      .describe(
        'What it limits: the organisation id, a team id, an API key id, or the end-user string requests carry in `user`.',
      ),
    limit_usd: usdSchema,
    period: z.enum(budgetPeriods),
    alert_thresholds: z.array(z.number().int()).describe('Percentages of the limit that raise an alert.'),
    current_period: budgetPeriodSchema,
    spent_usd: usdSchema.describe('Settled spend in the current period (USD, decimal text).'),
    reserved_usd: usdSchema.describe('Held by requests in flight (USD, decimal text).'),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({ id: 'Budget', description: 'A spending limit, with its current period and spend.' });

export const budgetExample = {
  id: 'bud_4Lm8Qx2Rt6Wz1Nc9',
  object: 'budget',
  organization_id: 'org_3kTtV5xQ1mZ8rB2w',
  scope: 'organization',
  subject: 'org_3kTtV5xQ1mZ8rB2w',
  limit_usd: '250',
  period: 'month',
  alert_thresholds: [50, 80, 100],
  current_period: {
    key: '2026-12',
    start: '2026-12-01T00:00:00.000Z',
    resets_at: '2027-01-01T00:00:00.000Z',
  },
  spent_usd: '12.5',
  reserved_usd: '0.02',
  created_at: '2026-12-07T16:00:00.000Z',
  updated_at: '2026-12-07T16:00:00.000Z',
} satisfies z.output<typeof budgetSchema>;

/** A budget with its current period and spend (`spent_usd` settled, `reserved_usd` held by requests in flight). */
export function serializeBudget(
  budget: Budget,
  current: { window: BudgetPeriodWindow; spentUsd: string; reservedUsd: string },
): z.output<typeof budgetSchema> {
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

export const budgetAlertSchema = z
  .object({
    id: z
      .string()
      .describe('Stable per budget, period and threshold: the webhook event id, the same on every retry.'),
    object: z.literal('budget_alert'),
    type: z.literal('budget.threshold_reached'),
    organization_id: z.string(),
    budget_id: z.string(),
    threshold: z.number().int().describe('The percentage of the limit that was reached.'),
    spent_usd: usdSchema,
    limit_usd: usdSchema,
    period_start: timestampSchema,
    created_at: timestampSchema,
    delivered_at: timestampSchema.nullable().describe('When the webhook took it; null while undelivered.'),
    delivery_attempts: z.number().int(),
    last_delivery_error: z.string().nullable(),
  })
  .meta({ id: 'BudgetAlert', description: 'An alert a budget raised, with its webhook delivery state.' });

export const budgetAlertExample = {
  id: 'bal_6Tq1Wn8Kx3Zr5Lm2',
  object: 'budget_alert',
  type: 'budget.threshold_reached',
  organization_id: 'org_3kTtV5xQ1mZ8rB2w',
  budget_id: budgetExample.id,
  threshold: 80,
  spent_usd: '200.1',
  limit_usd: '250',
  period_start: '2026-12-01T00:00:00.000Z',
  created_at: '2026-12-07T16:00:00.000Z',
  delivered_at: '2026-12-07T16:00:01.000Z',
  delivery_attempts: 1,
  last_delivery_error: null,
} satisfies z.output<typeof budgetAlertSchema>;

/** An alert as the API lists it, with its delivery state. */
export function serializeBudgetAlert(alert: BudgetAlert): z.output<typeof budgetAlertSchema> {
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

const signatureScheme = 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" under the secret>';

export const webhookSchema = z
  .object({
    object: z.literal('webhook'),
    organization_id: z.string(),
    url: z.string(),
    events: z.array(z.literal('budget.threshold_reached')),
    signature: z
      .object({ header: z.literal('x-kimi-signature'), scheme: z.literal(signatureScheme) })
      .describe('How each delivery is signed: check it with the secret.'),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({
    id: 'BudgetWebhook',
    description: "An organisation's webhook for budget alerts, never with its secret.",
  });

export const webhookExample = {
  object: 'webhook',
  organization_id: 'org_3kTtV5xQ1mZ8rB2w',
  url: 'https://hooks.example.com/kimi',
  events: ['budget.threshold_reached'],
  signature: { header: 'x-kimi-signature', scheme: signatureScheme },
  created_at: '2026-12-07T16:00:00.000Z',
  updated_at: '2026-12-07T16:00:00.000Z',
} satisfies z.output<typeof webhookSchema>;

/** A webhook: never its secret (PUT returns a generated one once, beside this). */
export function serializeWebhook(webhook: WebhookSummary): z.output<typeof webhookSchema> {
  return {
    object: 'webhook' as const,
    organization_id: webhook.organizationId,
    url: webhook.url,
    events: ['budget.threshold_reached'],
    signature: { header: 'x-kimi-signature', scheme: signatureScheme },
    created_at: webhook.createdAt.toISOString(),
    updated_at: webhook.updatedAt.toISOString(),
  };
}
