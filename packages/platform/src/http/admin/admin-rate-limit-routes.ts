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
import {
  rateLimitFields,
  rateLimitsExample,
  rateLimitsSchema,
  serializeRateLimits,
} from './plan-budget-serializers.ts';

/** A number sets a limit, null clears it, an absent field keeps it; any other field is a 400. */
const rateLimitsChangeSchema = z.strictObject({
  requests_per_minute: rateLimitValueSchema.nullable().optional(),
  tokens_per_minute: rateLimitValueSchema.nullable().optional(),
  concurrent_requests: rateLimitValueSchema.nullable().optional(),
});

const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });
const keyParamsSchema = organizationParamsSchema.extend({ keyId: z.string().min(1).max(64) });
const teamParamsSchema = organizationParamsSchema.extend({ teamId: z.string().min(1).max(64) });

const organizationRateLimitsSchema = z
  .object({
    object: z.literal('organization.rate_limits'),
    organization_id: z.string(),
    plan_id: z.string().nullable(),
    ...rateLimitFields,
    plan_defaults: rateLimitsSchema.nullable().describe("The plan's limits; null without a plan."),
    effective: rateLimitsSchema.describe("What applies: its own limits where set, else the plan's."),
  })
  .meta({
    id: 'OrganizationRateLimits',
    description: "An organisation's own rate limits (top level), its plan's defaults and the effective ones.",
  });
const keyRateLimitsSchema = z
  .object({
    object: z.literal('api_key.rate_limits'),
    organization_id: z.string(),
    key_id: z.string(),
    ...rateLimitFields,
  })
  .meta({ id: 'ApiKeyRateLimits', description: "A key's own limits, checked besides its organisation's." });
const teamRateLimitsSchema = z
  .object({
    object: z.literal('team.rate_limits'),
    organization_id: z.string(),
    team_id: z.string(),
    ...rateLimitFields,
  })
  .meta({
    id: 'TeamRateLimits',
    description: "A team's limits, checked besides its keys' and organisation's.",
  });

const organizationRateLimitsExample = {
  object: 'organization.rate_limits',
  organization_id: 'org_3kTtV5xQ1mZ8rB2w',
  plan_id: 'basic',
  requests_per_minute: 1200,
  tokens_per_minute: null,
  concurrent_requests: null,
  plan_defaults: rateLimitsExample,
  effective: { ...rateLimitsExample, requests_per_minute: 1200 },
} satisfies z.output<typeof organizationRateLimitsSchema>;
const keyRateLimitsExample = {
  object: 'api_key.rate_limits',
  organization_id: 'org_3kTtV5xQ1mZ8rB2w',
  key_id: 'key_5fQm2Lx9Tb7cW1zR',
  requests_per_minute: 60,
  tokens_per_minute: null,
  concurrent_requests: 4,
} satisfies z.output<typeof keyRateLimitsSchema>;
const teamRateLimitsExample = {
  object: 'team.rate_limits',
  organization_id: 'org_3kTtV5xQ1mZ8rB2w',
  team_id: 'team_2bVx8Lq5Rz1nC7mK',
  requests_per_minute: 300,
  tokens_per_minute: 100_000,
  concurrent_requests: null,
} satisfies z.output<typeof teamRateLimitsSchema>;
const changeExample = { requests_per_minute: 300, tokens_per_minute: null };
const changeDescription = 'A number sets a limit, null clears it, an absent field keeps it.';
const tag = 'Admin: rate limits';

function toChange(body: z.output<typeof rateLimitsChangeSchema>): RateLimitsChange {
  return {
    ...(body.requests_per_minute === undefined ? {} : { requestsPerMinute: body.requests_per_minute }),
    ...(body.tokens_per_minute === undefined ? {} : { tokensPerMinute: body.tokens_per_minute }),
    ...(body.concurrent_requests === undefined ? {} : { concurrentRequests: body.concurrent_requests }),
  };
}

function presentOrganization(
  view: OrganizationRateLimitsView,
): z.output<typeof organizationRateLimitsSchema> {
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
    requires('admin:budgets', {
      operationId: 'getOrganizationRateLimits',
      summary: "Get an organisation's rate limits",
      tag,
      params: organizationParamsSchema,
      responses: {
        200: {
          description: "Its own limits, its plan's and the effective ones.",
          schema: organizationRateLimitsSchema,
          example: organizationRateLimitsExample,
        },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      return presentOrganization(await rateLimits.organization(callerOf(request), organizationId));
    },
  );

  app.put(
    '/v1/admin/organizations/:organizationId/rate-limits',
    requires('admin:budgets', {
      operationId: 'setOrganizationRateLimits',
      summary: "Change an organisation's own rate limits (platform admin only)",
      description: `${changeDescription} Its own limits replace its plan's; only the platform admin may set them (403 otherwise).`,
      tag,
      params: organizationParamsSchema,
      body: rateLimitsChangeSchema,
      bodyExample: changeExample,
      responses: {
        200: {
          description: 'The limits as changed.',
          schema: organizationRateLimitsSchema,
          example: organizationRateLimitsExample,
        },
      },
      errors: [404],
    }),
    async (request) => {
      const caller = callerOf(request);
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      const body = parseWith(rateLimitsChangeSchema, request.body);
      return presentOrganization(await rateLimits.changeOrganization(caller, organizationId, toChange(body)));
    },
  );

  app.get(
    '/v1/admin/organizations/:organizationId/keys/:keyId/rate-limits',
    requires('admin:budgets', {
      operationId: 'getApiKeyRateLimits',
      summary: "Get an API key's rate limits",
      tag,
      params: keyParamsSchema,
      responses: {
        200: {
          description: "The key's own limits.",
          schema: keyRateLimitsSchema,
          example: keyRateLimitsExample,
        },
      },
      errors: [404],
    }),
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
    requires('admin:budgets', {
      operationId: 'setApiKeyRateLimits',
      summary: "Change an API key's rate limits",
      description: `${changeDescription} A key's limits apply within its organisation's.`,
      tag,
      params: keyParamsSchema,
      body: rateLimitsChangeSchema,
      bodyExample: changeExample,
      responses: {
        200: {
          description: 'The limits as changed.',
          schema: keyRateLimitsSchema,
          example: keyRateLimitsExample,
        },
      },
      errors: [404],
    }),
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
  const presentTeam = (
    organizationId: string,
    teamId: string,
    limits: PlanRateLimits,
  ): z.output<typeof teamRateLimitsSchema> => ({
    object: 'team.rate_limits',
    organization_id: organizationId,
    team_id: teamId,
    ...serializeRateLimits(limits),
  });

  app.get(
    teamPath,
    requires('admin:budgets', {
      operationId: 'getTeamRateLimits',
      summary: "Get a team's rate limits",
      tag,
      params: teamParamsSchema,
      responses: {
        200: {
          description: "The team's limits.",
          schema: teamRateLimitsSchema,
          example: teamRateLimitsExample,
        },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId, teamId } = parseWith(teamParamsSchema, request.params);
      return presentTeam(
        organizationId,
        teamId,
        await rateLimits.team(callerOf(request), organizationId, teamId),
      );
    },
  );

  app.put(
    teamPath,
    requires('admin:budgets', {
      operationId: 'setTeamRateLimits',
      summary: "Change a team's rate limits",
      description: `${changeDescription} A team's limits are checked besides its keys' and its organisation's.`,
      tag,
      params: teamParamsSchema,
      body: rateLimitsChangeSchema,
      bodyExample: changeExample,
      responses: {
        200: {
          description: 'The limits as changed.',
          schema: teamRateLimitsSchema,
          example: teamRateLimitsExample,
        },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId, teamId } = parseWith(teamParamsSchema, request.params);
      const body = parseWith(rateLimitsChangeSchema, request.body);
      const limits = await rateLimits.changeTeam(callerOf(request), organizationId, teamId, toChange(body));
      return presentTeam(organizationId, teamId, limits);
    },
  );
}
