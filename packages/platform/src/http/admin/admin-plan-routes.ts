import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { planFieldsSchema, planIdSchema } from '../../metering/plans/index.ts';
import type { PlanServices } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { timestampSchema } from '../openapi/index.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';
import { organizationExample, organizationSchema, serializeOrganization } from './admin-serializers.ts';
import { planExample, planSchema, serializePlan } from './plan-budget-serializers.ts';

const planParamsSchema = z.object({ planId: planIdSchema });
const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });
const organizationPlanSchema = z.strictObject({
  plan: z.string().min(1).max(64).nullable().describe('The plan id; null: no plan (no plan limits).'),
});

const planListSchema = z
  .object({ object: z.literal('list'), data: z.array(planSchema) })
  .meta({ id: 'PlanList', description: 'Every plan, not paginated.' });
const planDeletedSchema = z
  .object({ id: z.string(), object: z.literal('plan.deleted'), deleted: z.literal(true) })
  .meta({ id: 'PlanDeleted' });
const organizationPlanViewSchema = z
  .object({
    object: z.literal('organization.plan'),
    organization_id: z.string(),
    plan: planSchema.nullable(),
    monthly_requests_used: z.number().int().describe('Model requests counted against the quota this month.'),
    quota_period: z
      .object({ start: timestampSchema, resets_at: timestampSchema })
      .describe('The calendar month (UTC) the quota counts.'),
  })
  .meta({
    id: 'OrganizationPlan',
    description: "An organisation's plan and this month's usage of its quota.",
  });
const organizationWithPlanSchema = organizationSchema
  .extend({ plan: planSchema.nullable() })
  .meta({ id: 'OrganizationWithPlan' });
const tag = 'Admin: plans';

/**
 * Plans (any administrator reads them; the platform admin writes them) and an organisation's plan
 * (its admin reads it with this month's usage; the platform admin changes it, effective at once).
 */
export function registerAdminPlanRoutes(app: FastifyInstance, plans: PlanServices): void {
  app.get(
    '/v1/admin/plans',
    requires('admin:organization', {
      operationId: 'listPlans',
      summary: 'List the plans',
      tag,
      responses: {
        200: {
          description: 'Every plan.',
          schema: planListSchema,
          example: { object: 'list', data: [planExample] },
        },
      },
    }),
    async (request) => {
      const list = await plans.list(callerOf(request));
      return { object: 'list', data: list.map(serializePlan) };
    },
  );

  app.put(
    '/v1/admin/plans/:planId',
    requires('platform:plans', {
      operationId: 'putPlan',
      summary: 'Create or change a plan',
      description:
        "An absent field keeps its value (or the built-in plan's, or the default); null clears it (unlimited). Takes effect at once for the organisations on it.",
      tag,
      params: planParamsSchema,
      body: planFieldsSchema,
      bodyExample: { name: 'Team', rank: 20, monthly_price_usd: '99', requests_per_minute: 1200 },
      responses: {
        200: {
          description: 'The changed plan.',
          schema: planSchema,
          example: { ...planExample, source: 'api' },
        },
        201: {
          description: 'The new plan.',
          schema: planSchema,
          example: { ...planExample, id: 'team', name: 'Team', source: 'api' },
        },
      },
    }),
    async (request, reply) => {
      const caller = callerOf(request);
      const { planId } = parseWith(planParamsSchema, request.params);
      const fields = parseWith(planFieldsSchema, request.body);
      const { plan, created } = await plans.put(caller, planId, fields);
      return reply.status(created ? 201 : 200).send(serializePlan(plan));
    },
  );

  app.delete(
    '/v1/admin/plans/:planId',
    requires('platform:plans', {
      operationId: 'deletePlan',
      summary: 'Delete a plan',
      description: 'A built-in plan cannot be deleted (400), nor one organisations are on (409).',
      tag,
      params: planParamsSchema,
      responses: {
        200: {
          description: 'The plan is deleted.',
          schema: planDeletedSchema,
          example: { id: 'team', object: 'plan.deleted', deleted: true },
        },
      },
      errors: [404, 409],
    }),
    async (request) => {
      const caller = callerOf(request);
      const { planId } = parseWith(planParamsSchema, request.params);
      await plans.delete(caller, planId);
      return { id: planId, object: 'plan.deleted', deleted: true };
    },
  );

  app.get(
    '/v1/admin/organizations/:organizationId/plan',
    requires('admin:organization', {
      operationId: 'getOrganizationPlan',
      summary: "Get an organisation's plan and this month's usage",
      tag,
      params: organizationParamsSchema,
      responses: {
        200: {
          description: 'The plan (null: none) and the quota used.',
          schema: organizationPlanViewSchema,
          example: {
            object: 'organization.plan',
            organization_id: organizationExample.id,
            plan: planExample,
            monthly_requests_used: 1234,
            quota_period: { start: '2026-12-01T00:00:00.000Z', resets_at: '2027-01-01T00:00:00.000Z' },
          },
        },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      const view = await plans.organizationPlan(callerOf(request), organizationId);
      return {
        object: 'organization.plan',
        organization_id: view.organizationId,
        plan: view.plan ? serializePlan(view.plan) : null,
        monthly_requests_used: view.monthlyRequestsUsed,
        quota_period: {
          start: view.quotaPeriod.start.toISOString(),
          resets_at: view.quotaPeriod.resetsAt.toISOString(),
        },
      };
    },
  );

  app.put(
    '/v1/admin/organizations/:organizationId/plan',
    requires('platform:plans', {
      operationId: 'setOrganizationPlan',
      summary: "Change an organisation's plan (effective at once)",
      tag,
      params: organizationParamsSchema,
      body: organizationPlanSchema,
      bodyExample: { plan: 'basic' },
      responses: {
        200: {
          description: 'The organisation with its new plan.',
          schema: organizationWithPlanSchema,
          example: { ...organizationExample, plan: planExample },
        },
      },
      errors: [404],
    }),
    async (request) => {
      const caller = callerOf(request);
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      const body = parseWith(organizationPlanSchema, request.body);
      const { organization, plan } = await plans.setOrganizationPlan(caller, organizationId, body.plan);
      return {
        ...serializeOrganization(organization),
        plan_id: plan?.id ?? null,
        plan: plan ? serializePlan(plan) : null,
      };
    },
  );

  app.get(
    '/v1/admin/plans/:planId',
    requires('admin:organization', {
      operationId: 'getPlan',
      summary: 'Get a plan',
      tag,
      params: planParamsSchema,
      responses: { 200: { description: 'The plan.', schema: planSchema, example: planExample } },
      errors: [404],
    }),
    async (request) => {
      const caller = callerOf(request);
      const { planId } = parseWith(planParamsSchema, request.params);
      return serializePlan(await plans.get(caller, planId));
    },
  );
}
