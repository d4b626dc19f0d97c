export { builtInPlans, isBuiltInPlanId } from './built-in-plans.ts';
export { createPlanDirectory, type PlanDirectory, plansChangedChannel } from './plan-directory.ts';
export { planErrors } from './plan-errors.ts';
export {
  modelPatternSchema,
  type PlanFields,
  planFieldsSchema,
  planIdSchema,
  rateLimitValueSchema,
  resolvePlanDefinition,
} from './plan-fields-schema.ts';
export {
  type DeletePlanOutcome,
  deletePlan,
  findPlan,
  listPlans,
  organizationPlanId,
  planForOrganization,
  putPlan,
  type SetOrganizationPlanOutcome,
  setOrganizationPlan,
} from './plan-repository.ts';
export type { Plan, PlanDefinition, PlanRateLimits, PlanSource } from './plan-types.ts';
export { describeUpgrade, planAllowsModel, suggestUpgrade, type UpgradeNeed } from './plan-upgrade.ts';
export {
  apiKeyRateLimits,
  changeApiKeyRateLimits,
  changeOrganizationRateLimits,
  changeTeamRateLimits,
  effectiveRateLimits,
  organizationRateLimits,
  type RateLimitsChange,
  readRateLimits,
  teamRateLimits,
} from './rate-limit-settings.ts';
export { calendarMonthOf, monthlyRequestsUsed } from './request-quota.ts';
export { type ConfigPlans, desiredPlans, type SeedPlansOutcome, seedPlans } from './seed-plans.ts';
export {
  budgetUsdSchema,
  decimalToNanoUsdRoundedUp,
  maximumBudgetUsd,
  monthlyPriceUsdSchema,
  nanoUsdPerUsd,
  nanoUsdToUsd,
  trimDecimal,
  usdToNanoUsd,
} from './usd-amount.ts';
