import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../platform/index.ts';
import { registerAdminCachePolicyRoutes } from './admin-cache-policy-routes.ts';
import { registerAdminKeyRoutes } from './admin-key-routes.ts';
import { registerAdminOrganizationRoutes } from './admin-organization-routes.ts';
import { registerAdminPeopleRoutes } from './admin-people-routes.ts';
import { registerAdminProviderKeyRoutes } from './admin-provider-key-routes.ts';
import { registerAdminSsoRoutes } from './admin-sso-routes.ts';
import { registerAdminToolNetworkRoutes } from './admin-tool-network-routes.ts';
import { registerAdminTraceContentRoutes } from './admin-trace-content-routes.ts';
import { registerPlanAndBudgetRoutes } from './plan-budget-routes.ts';

export { changeBudgetSchema, createBudgetSchema } from './admin-budget-routes.ts';
export { createInvitationSchema } from './admin-invitation-routes.ts';
export { createKeySchema, rotateKeySchema } from './admin-key-routes.ts';
export { createOrganizationSchema } from './admin-organization-routes.ts';
export { createTeamSchema, roleChangeSchema, updateTeamSchema } from './admin-people-routes.ts';
export { organizationPlanSchema } from './admin-plan-routes.ts';
export {
  apiKeyExample,
  apiKeySchema,
  listEnvelope,
  serializeApiKey,
  serializeOrganization,
} from './admin-serializers.ts';
export {
  effectiveCachePolicyFieldsSchema,
  serializePolicyFields,
  storedCachePolicyFieldsSchema,
} from './cache-policy-serializers.ts';
export {
  memberSchema,
  serializeInvitation,
  serializeMember,
  serializeTeam,
  serializeUser,
  userExample,
  userSchema,
} from './people-serializers.ts';
export { serializeBudget, serializeBudgetAlert, serializePlan } from './plan-budget-serializers.ts';

/**
 * The admin surface (/v1/admin/…): organisations, keys, provider keys, plans, budgets, rate
 * limits, webhooks, cache policies, the tool network allowlist and single sign-on. Registered behind authentication.
 */
export async function registerAdminRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  await app.register(async (admin) => {
    registerAdminOrganizationRoutes(admin, platform);
    registerAdminKeyRoutes(admin, platform);
    registerAdminProviderKeyRoutes(admin, platform);
    registerAdminPeopleRoutes(admin, platform.administration);
    registerPlanAndBudgetRoutes(admin, platform.administration);
    registerAdminToolNetworkRoutes(admin, platform.toolLibrary.networkAllowlist);
    registerAdminTraceContentRoutes(admin, platform.traceContent);
    registerAdminCachePolicyRoutes(admin, platform.caching);
    registerAdminSsoRoutes(admin, platform.ssoConnections);
  });
}
