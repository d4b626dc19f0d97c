import { z } from 'zod';
import type { PlanDefinition } from './plan-types.ts';
import { budgetUsdSchema, monthlyPriceUsdSchema } from './usd-amount.ts';

/** Plan ids are short and URL-safe, as they appear in paths and refusals. */
export const planIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be 1-64 lowercase letters, digits, "-" or "_"');

/** A rate limit: a positive integer up to 10⁹. */
export const rateLimitValueSchema = z.number().int().min(1).max(1_000_000_000);

/** A model id, alias, routing group, `provider/*`, or `*`: no spaces, `*` only as a whole trailing segment. */
export const modelPatternSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^(\*|[^\s*]+(\/\*)?)$/, "must be a model id, alias, group, 'provider/*' or '*'");

/**
 * A plan's fields as the config file and the admin API write them (snake_case). An absent field
 * keeps the value it had (or the built-in plan's, or the default); null clears it (unlimited).
 */
export const planFieldsSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  rank: z.number().int().min(0).max(1000).optional(),
  monthly_price_usd: monthlyPriceUsdSchema.nullable().optional(),
  monthly_request_quota: z.number().int().min(0).max(2_147_483_647).nullable().optional(),
  allowed_models: z.array(modelPatternSchema).max(1000).nullable().optional(),
  requests_per_minute: rateLimitValueSchema.nullable().optional(),
  tokens_per_minute: rateLimitValueSchema.nullable().optional(),
  concurrent_requests: rateLimitValueSchema.nullable().optional(),
  monthly_budget_usd: budgetUsdSchema.nullable().optional(),
  max_agents_per_run: z.number().int().min(1).max(10_000).nullable().optional(),
  knowledge_max_file_bytes: z.number().int().min(1).max(1_000_000_000_000).nullable().optional(),
  knowledge_max_documents: z.number().int().min(0).max(2_147_483_647).nullable().optional(),
  knowledge_max_chunks: z.number().int().min(0).max(2_147_483_647).nullable().optional(),
});

/** Parsed plan fields: amounts as decimal text, absent = keep, null = unlimited. */
export type PlanFields = z.output<typeof planFieldsSchema>;

function pick<Value>(given: Value | undefined, fallback: Value): Value {
  return given === undefined ? fallback : given;
}

/** Applies `fields` over `base` (a stored or built-in plan) or, without one, over "everything unlimited". */
export function resolvePlanDefinition(id: string, fields: PlanFields, base?: PlanDefinition): PlanDefinition {
  return {
    id,
    name: pick(fields.name, base?.name ?? id),
    rank: pick(fields.rank, base?.rank ?? 0),
    monthlyPriceUsd: pick(fields.monthly_price_usd, base?.monthlyPriceUsd ?? null),
    monthlyRequestQuota: pick(fields.monthly_request_quota, base?.monthlyRequestQuota ?? null),
    allowedModels: pick(fields.allowed_models, base?.allowedModels ?? null),
    rateLimits: {
      requestsPerMinute: pick(fields.requests_per_minute, base?.rateLimits.requestsPerMinute ?? null),
      tokensPerMinute: pick(fields.tokens_per_minute, base?.rateLimits.tokensPerMinute ?? null),
      concurrentRequests: pick(fields.concurrent_requests, base?.rateLimits.concurrentRequests ?? null),
    },
    monthlyBudgetUsd: pick(fields.monthly_budget_usd, base?.monthlyBudgetUsd ?? null),
    maxAgentsPerRun: pick(fields.max_agents_per_run, base?.maxAgentsPerRun ?? null),
    knowledgeMaxFileBytes: pick(fields.knowledge_max_file_bytes, base?.knowledgeMaxFileBytes ?? null),
    knowledgeMaxDocuments: pick(fields.knowledge_max_documents, base?.knowledgeMaxDocuments ?? null),
    knowledgeMaxChunks: pick(fields.knowledge_max_chunks, base?.knowledgeMaxChunks ?? null),
  };
}
