import type { AdministrationDependencies } from './administration-dependencies.ts';
import { type ApiKeyServices, createApiKeyServices } from './api-key-services.ts';
import { type BudgetServices, createBudgetServices } from './budget-services.ts';
import {
  createInvitationServices,
  type InvitationDependencies,
  type InvitationServices,
} from './invitation-services.ts';
import { createMemberServices, type MemberServices } from './member-services.ts';
import { createOrganizationServices, type OrganizationServices } from './organization-services.ts';
import type { PlanAndBudgetDependencies } from './plan-budget-dependencies.ts';
import { createPlanServices, type PlanServices } from './plan-services.ts';
import { createProviderKeyServices, type ProviderKeyServices } from './provider-key-services.ts';
import { createRateLimitServices, type RateLimitServices } from './rate-limit-services.ts';
import { createTeamServices, type TeamServices } from './team-services.ts';
import { createWebhookServices, type WebhookServices } from './webhook-services.ts';

export type { AdministrationDependencies, PageRequest } from './administration-dependencies.ts';
export type { ApiKeyServices, NewApiKeyRequest } from './api-key-services.ts';
export type { BudgetChange, BudgetServices, BudgetView, NewBudgetRequest } from './budget-services.ts';
export type {
  AcceptedInvitation,
  InvitationDependencies,
  InvitationServices,
  IssuedInvitation,
} from './invitation-services.ts';
export type { MemberServices } from './member-services.ts';
export type { OrganizationServices } from './organization-services.ts';
export {
  announceLimitsChange,
  type OrganizationLimitsChange,
  type PlanAndBudgetDependencies,
} from './plan-budget-dependencies.ts';
export type { OrganizationPlanView, PlanServices } from './plan-services.ts';
export type { ProviderKeyServices } from './provider-key-services.ts';
export type { OrganizationRateLimitsView, RateLimitServices } from './rate-limit-services.ts';
export type { TeamServices } from './team-services.ts';
export type { WebhookServices } from './webhook-services.ts';

/** Plans, budgets, rate limits and budget-alert webhooks. */
export interface PlanAndBudgetServices {
  plans: PlanServices;
  budgets: BudgetServices;
  rateLimits: RateLimitServices;
  webhooks: WebhookServices;
}

/** The admin operations: each takes the caller, checks its role and changes the store. */
export interface AdministrationServices extends PlanAndBudgetServices {
  organizations: OrganizationServices;
  apiKeys: ApiKeyServices;
  providerKeys: ProviderKeyServices;
  members: MemberServices;
  teams: TeamServices;
  invitations: InvitationServices;
}

export function createPlanAndBudgetServices(dependencies: PlanAndBudgetDependencies): PlanAndBudgetServices {
  return {
    plans: createPlanServices(dependencies),
    budgets: createBudgetServices(dependencies),
    rateLimits: createRateLimitServices(dependencies),
    webhooks: createWebhookServices(dependencies),
  };
}

export function createAdministrationServices(
  dependencies: AdministrationDependencies &
    PlanAndBudgetDependencies & { invitations: InvitationDependencies },
): AdministrationServices {
  return {
    organizations: createOrganizationServices(dependencies),
    apiKeys: createApiKeyServices(dependencies),
    providerKeys: createProviderKeyServices(dependencies),
    members: createMemberServices(dependencies),
    teams: createTeamServices(dependencies),
    invitations: createInvitationServices(dependencies.invitations),
    ...createPlanAndBudgetServices(dependencies),
  };
}
