export {
  type AdministrationServices,
  type ApiKeyServices,
  announceLimitsChange,
  type BudgetServices,
  type BudgetView,
  createPlanAndBudgetServices,
  type NewApiKeyRequest,
  type OrganizationLimitsChange,
  type OrganizationPlanView,
  type OrganizationRateLimitsView,
  type OrganizationServices,
  type PlanAndBudgetDependencies,
  type PlanAndBudgetServices,
  type PlanServices,
  type ProviderKeyServices,
  type RateLimitServices,
  requireAnyAdministrator,
  requireOrganizationAdministrator,
  requirePlatformAdministrator,
  type WebhookServices,
} from './administration/index.ts';
export { createPlatform } from './create-platform.ts';
export type { Platform } from './platform.ts';
export type { PlatformPorts } from './platform-ports.ts';
