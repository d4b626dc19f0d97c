import { errors } from '../../errors/index.ts';
import { attributionOf } from '../../identity/audit/index.ts';
import { requirePermission } from '../../identity/index.ts';
import {
  apiKeyRateLimits,
  changeApiKeyRateLimits,
  changeOrganizationRateLimits,
  changeTeamRateLimits,
  effectiveRateLimits,
  organizationRateLimits,
  type PlanRateLimits,
  planForOrganization,
  type RateLimitsChange,
  teamRateLimits,
} from '../../metering/plans/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';
import { rateLimitsSummary } from './audit-summaries.ts';
import { announceLimitsChange, type PlanAndBudgetDependencies } from './plan-budget-dependencies.ts';

/** An organisation's own rate limits beside its plan's defaults and what is in force. */
export interface OrganizationRateLimitsView {
  organizationId: string;
  planId: string | null;
  own: PlanRateLimits;
  planDefaults: PlanRateLimits | null;
  effective: PlanRateLimits;
}

export interface RateLimitServices {
  organization(caller: AuthContext, organizationId: string): Promise<OrganizationRateLimitsView>;
  /** Only the platform admin: else a tenant could lift its plan's limits. */
  changeOrganization(
    caller: AuthContext,
    organizationId: string,
    change: RateLimitsChange,
  ): Promise<OrganizationRateLimitsView>;
  apiKey(caller: AuthContext, organizationId: string, keyId: string): Promise<PlanRateLimits>;
  /** A key's limits are a further limit within the organisation's; its admin sets them. */
  changeApiKey(
    caller: AuthContext,
    organizationId: string,
    keyId: string,
    change: RateLimitsChange,
  ): Promise<PlanRateLimits>;
  team(caller: AuthContext, organizationId: string, teamId: string): Promise<PlanRateLimits>;
  /** A team's limits apply to all its keys together, within the organisation's. */
  changeTeam(
    caller: AuthContext,
    organizationId: string,
    teamId: string,
    change: RateLimitsChange,
  ): Promise<PlanRateLimits>;
}

export function createRateLimitServices(dependencies: PlanAndBudgetDependencies): RateLimitServices {
  const { audit } = dependencies;

  async function view(organizationId: string, own: PlanRateLimits): Promise<OrganizationRateLimitsView> {
    const plan = await planForOrganization(
      dependencies.database.forOrganization(organizationId),
      organizationId,
    );
    return {
      organizationId,
      planId: plan?.id ?? null,
      own,
      planDefaults: plan ? plan.rateLimits : null,
      effective: effectiveRateLimits(plan?.rateLimits ?? null, own),
    };
  }

  return {
    async organization(caller, organizationId) {
      requirePermission(caller, 'admin:budgets', organizationId);
      const database = dependencies.database.forOrganization(organizationId);
      const own = await organizationRateLimits(database, organizationId);
      if (!own) throw errors.notFound(`Organization '${organizationId}'`, 'organizationId');
      return view(organizationId, own);
    },
    async changeOrganization(caller, organizationId, change) {
      requirePermission(caller, 'platform:plans', undefined, "change an organization's rate limits");
      const database = dependencies.database.forOrganization(organizationId);
      const outcome = await database.transaction(async (transaction) => {
        const before = await organizationRateLimits(transaction, organizationId);
        const changed = await changeOrganizationRateLimits(transaction, organizationId, change);
        if (!before || !changed) return null;
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId,
          action: 'rate_limits.updated',
          target: { type: 'organization', id: organizationId },
          before: rateLimitsSummary(before),
          after: rateLimitsSummary(changed.rateLimits),
        });
        return changed;
      });
      if (!outcome) throw errors.notFound(`Organization '${organizationId}'`, 'organizationId');
      await announceLimitsChange(dependencies, {
        organizationId,
        reason: 'rate-limits',
        secretHashes: outcome.secretHashes,
      });
      return view(organizationId, outcome.rateLimits);
    },
    async apiKey(caller, organizationId, keyId) {
      requirePermission(caller, 'admin:budgets', organizationId);
      const database = dependencies.database.forOrganization(organizationId);
      const limits = await apiKeyRateLimits(database, organizationId, keyId);
      if (!limits) throw errors.notFound(`API key '${keyId}'`, 'keyId');
      return limits;
    },
    async changeApiKey(caller, organizationId, keyId, change) {
      requirePermission(caller, 'admin:budgets', organizationId);
      const database = dependencies.database.forOrganization(organizationId);
      const outcome = await database.transaction(async (transaction) => {
        const before = await apiKeyRateLimits(transaction, organizationId, keyId);
        const changed = await changeApiKeyRateLimits(transaction, organizationId, keyId, change);
        if (!before || !changed) return null;
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId,
          action: 'rate_limits.updated',
          target: { type: 'api_key', id: keyId },
          before: rateLimitsSummary(before),
          after: rateLimitsSummary(changed.rateLimits),
        });
        return changed;
      });
      if (!outcome) throw errors.notFound(`API key '${keyId}'`, 'keyId');
      await announceLimitsChange(dependencies, {
        organizationId,
        reason: 'rate-limits',
        secretHashes: [outcome.secretHash],
      });
      return outcome.rateLimits;
    },
    async team(caller, organizationId, teamId) {
      requirePermission(caller, 'admin:budgets', organizationId);
      const database = dependencies.database.forOrganization(organizationId);
      const limits = await teamRateLimits(database, organizationId, teamId);
      if (!limits) throw errors.notFound(`Team '${teamId}'`, 'teamId');
      return limits;
    },
    async changeTeam(caller, organizationId, teamId, change) {
      requirePermission(caller, 'admin:budgets', organizationId);
      const database = dependencies.database.forOrganization(organizationId);
      const outcome = await database.transaction(async (transaction) => {
        const before = await teamRateLimits(transaction, organizationId, teamId);
        const changed = await changeTeamRateLimits(transaction, organizationId, teamId, change);
        if (!before || !changed) return null;
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId,
          action: 'rate_limits.updated',
          target: { type: 'team', id: teamId },
          before: rateLimitsSummary(before),
          after: rateLimitsSummary(changed.rateLimits),
        });
        return changed;
      });
      if (!outcome) throw errors.notFound(`Team '${teamId}'`, 'teamId');
      await announceLimitsChange(dependencies, {
        organizationId,
        reason: 'rate-limits',
        secretHashes: outcome.secretHashes,
      });
      return outcome.rateLimits;
    },
  };
}
