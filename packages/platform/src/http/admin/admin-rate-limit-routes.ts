import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { errors } from '../../errors/index.ts';
import {
  apiKeyRateLimits,
  changeApiKeyRateLimits,
  changeOrganizationRateLimits,
  effectiveRateLimits,
  organizationRateLimits,
  type PlanRateLimits,
  planForOrganization,
  type RateLimitsChange,
  rateLimitValueSchema,
} from '../../metering/plans/index.ts';
import { requireOrganizationAdministrator, requirePlatformAdministrator } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { announceLimitsChange, type PlanAndBudgetRouteContext } from './plan-budget-route-context.ts';
import { serializeRateLimits } from './plan-budget-serializers.ts';

/** A number sets a limit, null clears it, an absent field keeps it; any other field is a 400. */
const rateLimitsChangeSchema = z.strictObject({
  requests_per_minute: rateLimitValueSchema.nullable().optional(),
  tokens_per_minute: rateLimitValueSchema.nullable().optional(),
  concurrent_requests: rateLimitValueSchema.nullable().optional(),
});

const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });
const keyParamsSchema = organizationParamsSchema.extend({ keyId: z.string().min(1).max(64) });

function toChange(body: z.output<typeof rateLimitsChangeSchema>): RateLimitsChange {
  return {
    ...(body.requests_per_minute === undefined ? {} : { requestsPerMinute: body.requests_per_minute }),
    ...(body.tokens_per_minute === undefined ? {} : { tokensPerMinute: body.tokens_per_minute }),
    ...(body.concurrent_requests === undefined ? {} : { concurrentRequests: body.concurrent_requests }),
  };
}

/**
 * Rate limits. An organisation's own limits replace its plan's defaults and only the platform
 * admin sets them (else a tenant could lift its plan's limits); a key's limits are a further limit
 * within the organisation's, which the organisation's admin sets.
 */
export function registerAdminRateLimitRoutes(app: FastifyInstance, context: PlanAndBudgetRouteContext): void {
  async function organizationView(organizationId: string, own: PlanRateLimits) {
    const plan = await planForOrganization(context.database, organizationId);
    return {
      object: 'organization.rate_limits' as const,
      organization_id: organizationId,
      plan_id: plan?.id ?? null,
      ...serializeRateLimits(own),
      plan_defaults: plan ? serializeRateLimits(plan.rateLimits) : null,
      effective: serializeRateLimits(effectiveRateLimits(plan?.rateLimits ?? null, own)),
    };
  }

  app.get('/v1/admin/organizations/:organizationId/rate-limits', async (request) => {
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    requireOrganizationAdministrator(callerOf(request), organizationId);
    const own = await organizationRateLimits(context.database, organizationId);
    if (!own) throw errors.notFound(`Organization '${organizationId}'`, 'organizationId');
    return organizationView(organizationId, own);
  });

  app.put('/v1/admin/organizations/:organizationId/rate-limits', async (request) => {
    requirePlatformAdministrator(callerOf(request), "change an organization's rate limits");
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    const body = parseWith(rateLimitsChangeSchema, request.body);
    const outcome = await changeOrganizationRateLimits(context.database, organizationId, toChange(body));
    if (!outcome) throw errors.notFound(`Organization '${organizationId}'`, 'organizationId');
    await announceLimitsChange(context, {
      organizationId,
      reason: 'rate-limits',
      secretHashes: outcome.secretHashes,
    });
    return organizationView(organizationId, outcome.rateLimits);
  });

  app.get('/v1/admin/organizations/:organizationId/keys/:keyId/rate-limits', async (request) => {
    const { organizationId, keyId } = parseWith(keyParamsSchema, request.params);
    requireOrganizationAdministrator(callerOf(request), organizationId);
    const limits = await apiKeyRateLimits(context.database, organizationId, keyId);
    if (!limits) throw errors.notFound(`API key '${keyId}'`, 'keyId');
    return {
      object: 'api_key.rate_limits',
      organization_id: organizationId,
      key_id: keyId,
      ...serializeRateLimits(limits),
    };
  });

  app.put('/v1/admin/organizations/:organizationId/keys/:keyId/rate-limits', async (request) => {
    const { organizationId, keyId } = parseWith(keyParamsSchema, request.params);
    requireOrganizationAdministrator(callerOf(request), organizationId);
    const body = parseWith(rateLimitsChangeSchema, request.body);
    const outcome = await changeApiKeyRateLimits(context.database, organizationId, keyId, toChange(body));
    if (!outcome) throw errors.notFound(`API key '${keyId}'`, 'keyId');
    await announceLimitsChange(context, {
      organizationId,
      reason: 'rate-limits',
      secretHashes: [outcome.secretHash],
    });
    return {
      object: 'api_key.rate_limits',
      organization_id: organizationId,
      key_id: keyId,
      ...serializeRateLimits(outcome.rateLimits),
    };
  });
}
