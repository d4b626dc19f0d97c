import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { planFieldsSchema, planIdSchema } from '../../metering/plans/index.ts';
import type { PlanServices } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';
import { serializeOrganization } from './admin-serializers.ts';
import { serializePlan } from './plan-budget-serializers.ts';

const planParamsSchema = z.object({ planId: planIdSchema });
const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });
export const organizationPlanSchema = z.strictObject({ plan: z.string().min(1).max(64).nullable() });

/**
 * Plans (any administrator reads them; the platform admin writes them) and an organisation's plan
 * (its admin reads it with this month's usage; the platform admin changes it, effective at once).
 */
export function registerAdminPlanRoutes(app: FastifyInstance, plans: PlanServices): void {
  app.get('/v1/admin/plans', requires('admin:organization'), async (request) => {
    const list = await plans.list(callerOf(request));
    return { object: 'list', data: list.map(serializePlan) };
  });

  app.put('/v1/admin/plans/:planId', requires('platform:plans'), async (request, reply) => {
    const caller = callerOf(request);
    const { planId } = parseWith(planParamsSchema, request.params);
    const fields = parseWith(planFieldsSchema, request.body);
    const { plan, created } = await plans.put(caller, planId, fields);
    return reply.status(created ? 201 : 200).send(serializePlan(plan));
  });

  app.delete('/v1/admin/plans/:planId', requires('platform:plans'), async (request) => {
    const caller = callerOf(request);
    const { planId } = parseWith(planParamsSchema, request.params);
    await plans.delete(caller, planId);
    return { id: planId, object: 'plan.deleted', deleted: true };
  });

  app.get('/v1/admin/organizations/:organizationId/plan', requires('admin:organization'), async (request) => {
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
  });

  app.put('/v1/admin/organizations/:organizationId/plan', requires('platform:plans'), async (request) => {
    const caller = callerOf(request);
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    const body = parseWith(organizationPlanSchema, request.body);
    const { organization, plan } = await plans.setOrganizationPlan(caller, organizationId, body.plan);
    return {
      ...serializeOrganization(organization),
      plan_id: plan?.id ?? null,
      plan: plan ? serializePlan(plan) : null,
    };
  });

  app.get('/v1/admin/plans/:planId', requires('admin:organization'), async (request) => {
    const caller = callerOf(request);
    const { planId } = parseWith(planParamsSchema, request.params);
    return serializePlan(await plans.get(caller, planId));
  });
}
