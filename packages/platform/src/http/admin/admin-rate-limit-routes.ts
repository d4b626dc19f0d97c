import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  type PlanRateLimits,
  type RateLimitsChange,
  rateLimitValueSchema,
} from '../../metering/plans/index.ts';
import type { OrganizationRateLimitsView, RateLimitServices } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';
import { serializeRateLimits } from './plan-budget-serializers.ts';

/** A number sets a limit, null clears it, an absent field keeps it; any other field is a 400. */
const rateLimitsChangeSchema = z.strictObject({
  requests_per_minute: rateLimitValueSchema.nullable().optional(),
  tokens_per_minute: rateLimitValueSchema.nullable().optional(),
  concurrent_requests: rateLimitValueSchema.nullable().optional(),
});

const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });
const keyParamsSchema = organizationParamsSchema.extend({ keyId: z.string().min(1).max(64) });
const teamParamsSchema = organizationParamsSchema.extend({ teamId: z.string().min(1).max(64) });

function toChange(body: z.output<typeof rateLimitsChangeSchema>): RateLimitsChange {
  return {
    ...(body.requests_per_minute === undefined ? {} : { requestsPerMinute: body.requests_per_minute }),
    ...(body.tokens_per_minute === undefined ? {} : { tokensPerMinute: body.tokens_per_minute }),
    ...(body.concurrent_requests === undefined ? {} : { concurrentRequests: body.concurrent_requests }),
  };
}

function presentOrganization(view: OrganizationRateLimitsView) {
  return {
    object: 'organization.rate_limits' as const,
    organization_id: view.organizationId,
    plan_id: view.planId,
    ...serializeRateLimits(view.own),
    plan_defaults: view.planDefaults ? serializeRateLimits(view.planDefaults) : null,
    effective: serializeRateLimits(view.effective),
  };
}

/**
 * Rate limits. An organisation's own limits replace its plan's defaults and only the platform
 * admin sets them; a key's limits are a further limit within the organisation's, which the
 * organisation's admin sets.
 */
export function registerAdminRateLimitRoutes(app: FastifyInstance, rateLimits: RateLimitServices): void {
  app.get(
    '/v1/admin/organizations/:organizationId/rate-limits',
    requires('admin:budgets'),
    async (request) => {
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      return presentOrganization(await rateLimits.organization(callerOf(request), organizationId));
    },
  );

  app.put(
    '/v1/admin/organizations/:organizationId/rate-limits',
    requires('admin:budgets'),
    async (request) => {
      const caller = callerOf(request);
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      const body = parseWith(rateLimitsChangeSchema, request.body);
      return presentOrganization(await rateLimits.changeOrganization(caller, organizationId, toChange(body)));
    },
  );

  app.get(
    '/v1/admin/organizations/:organizationId/keys/:keyId/rate-limits',
    requires('admin:budgets'),
    async (request) => {
      const { organizationId, keyId } = parseWith(keyParamsSchema, request.params);
      const limits = await rateLimits.apiKey(callerOf(request), organizationId, keyId);
      return {
        object: 'api_key.rate_limits',
        organization_id: organizationId,
        key_id: keyId,
        ...serializeRateLimits(limits),
      };
    },
  );

  app.put(
    '/v1/admin/organizations/:organizationId/keys/:keyId/rate-limits',
    requires('admin:budgets'),
    async (request) => {
      const caller = callerOf(request);
      const { organizationId, keyId } = parseWith(keyParamsSchema, request.params);
      const body = parseWith(rateLimitsChangeSchema, request.body);
      const limits = await rateLimits.changeApiKey(caller, organizationId, keyId, toChange(body));
      return {
        object: 'api_key.rate_limits',
        organization_id: organizationId,
        key_id: keyId,
        ...serializeRateLimits(limits),
      };
    },
  );

  const teamPath = '/v1/admin/organizations/:organizationId/teams/:teamId/rate-limits';
  const presentTeam = (organizationId: string, teamId: string, limits: PlanRateLimits) => ({
    object: 'team.rate_limits',
    organization_id: organizationId,
    team_id: teamId,
    ...serializeRateLimits(limits),
  });

  app.get(teamPath, requires('admin:budgets'), async (request) => {
    const { organizationId, teamId } = parseWith(teamParamsSchema, request.params);
    return presentTeam(
      organizationId,
      teamId,
      await rateLimits.team(callerOf(request), organizationId, teamId),
    );
  });

  app.put(teamPath, requires('admin:budgets'), async (request) => {
    const { organizationId, teamId } = parseWith(teamParamsSchema, request.params);
    const body = parseWith(rateLimitsChangeSchema, request.body);
    const limits = await rateLimits.changeTeam(callerOf(request), organizationId, teamId, toChange(body));
    return presentTeam(organizationId, teamId, limits);
  });
}
