import { z } from 'zod';
import { planFieldsSchema, planIdSchema } from '../metering/schema.ts';

/**
 * `plans:` in kimi.config.yaml: plan id → fields (snake_case). A plan with a built-in's id (free,
 * basic, premium, enterprise) is applied over it, so only the fields to change need be given:
 *
 * ```yaml
 * plans:
 *   free: { monthly_request_quota: 200 }
 *   team: { name: Team, rank: 2, monthly_price_usd: 99, monthly_request_quota: 30000,
 *           allowed_models: ['sim/*', 'gpt-4-class'], requests_per_minute: 120, monthly_budget_usd: 99 }
 * ```
 *
 * Quotas are integers ≥ 0; budgets > 0 and ≤ 1,000,000,000 USD with ≤ 9 decimals; rate limits
 * integers 1..10⁹; null means unlimited. Errors name the field, e.g. `plans.team.requests_per_minute`.
 */
export const plansConfigSchema = z
  .record(planIdSchema, planFieldsSchema)
  .refine((plans) => Object.keys(plans).length <= 100, 'at most 100 plans')
  .default({});

/** The parsed `plans:` section. */
export type PlansConfig = z.output<typeof plansConfigSchema>;
