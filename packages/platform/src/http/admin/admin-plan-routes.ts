import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { errors } from '../../errors/index.ts';
import { everyOrganization } from '../../metering/budgets/index.ts';
import {
  calendarMonthOf,
  deletePlan,
  findPlan,
  listPlans,
  monthlyRequestsUsed,
  planErrors,
  planFieldsSchema,
  planForOrganization,
  planIdSchema,
  putPlan,
  setOrganizationPlan,
} from '../../metering/plans/index.ts';
import { requireOrganizationAdministrator, requirePlatformAdministrator } from '../../platform/index.ts';
import { findOrganization, isAdministrator } from '../../tenancy/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { serializeOrganization } from './admin-serializers.ts';
import { announceLimitsChange, type PlanAndBudgetRouteContext } from './plan-budget-route-context.ts';
import { serializePlan } from './plan-budget-serializers.ts';

const planParamsSchema = z.object({ planId: planIdSchema });
const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });
const organizationPlanSchema = z.strictObject({ plan: z.string().min(1).max(64).nullable() });

/**
 * Plans (any administrator reads them; the platform admin writes them) and an organisation's plan
 * (its admin reads it with this month's usage; the platform admin changes it, effective at once).
 */
export function registerAdminPlanRoutes(app: FastifyInstance, context: PlanAndBudgetRouteContext): void {
  const plansChanged = async () => {
    await context.plans?.announceChange();
    // why: a plan's monthly budget is every one of its organisations' implicit budget.
    await context.budgets?.announceChange(everyOrganization);
  };

  app.get('/v1/admin/plans', async (request) => {
    const caller = callerOf(request);
    if (!isAdministrator(caller)) {
      throw errors.forbidden('list plans', "Use a key with role 'admin' or the platform admin key.");
    }
    const plans = await listPlans(context.database);
    return { object: 'list', data: plans.map(serializePlan) };
  });

  app.put('/v1/admin/plans/:planId', async (request, reply) => {
    requirePlatformAdministrator(callerOf(request), 'create or change plans');
    const { planId } = parseWith(planParamsSchema, request.params);
    const fields = parseWith(planFieldsSchema, request.body);
    const { plan, created } = await putPlan(context.database, planId, fields);
    await plansChanged();
    return reply.status(created ? 201 : 200).send(serializePlan(plan));
  });

  app.delete('/v1/admin/plans/:planId', async (request) => {
    requirePlatformAdministrator(callerOf(request), 'delete plans');
    const { planId } = parseWith(planParamsSchema, request.params);
    const outcome = await deletePlan(context.database, planId);
    if (!outcome.deleted) {
      if (outcome.reason === 'not-found') throw errors.notFound(`Plan '${planId}'`, 'planId');
      if (outcome.reason === 'built-in') throw planErrors.builtInPlan(planId);
      throw planErrors.planInUse(planId, outcome.organizations);
    }
    await plansChanged();
    return { id: planId, object: 'plan.deleted', deleted: true };
  });

  app.get('/v1/admin/organizations/:organizationId/plan', async (request) => {
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    requireOrganizationAdministrator(callerOf(request), organizationId);
    if (!(await findOrganization(context.database, organizationId))) {
      throw errors.notFound(`Organization '${organizationId}'`, 'organizationId');
    }
    const now = context.clock.now();
    const plan = await planForOrganization(context.database, organizationId);
    const month = calendarMonthOf(now);
    return {
      object: 'organization.plan',
      organization_id: organizationId,
      plan: plan ? serializePlan(plan) : null,
      monthly_requests_used: await monthlyRequestsUsed(context.database, organizationId, now),
      quota_period: { start: month.start.toISOString(), resets_at: month.end.toISOString() },
    };
  });

  app.put('/v1/admin/organizations/:organizationId/plan', async (request) => {
    requirePlatformAdministrator(callerOf(request), "change an organization's plan");
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    const body = parseWith(organizationPlanSchema, request.body);
    const outcome = await setOrganizationPlan(context.database, organizationId, body.plan);
    if (!outcome.changed) {
      if (outcome.reason === 'organization-not-found') {
        throw errors.notFound(`Organization '${organizationId}'`, 'organizationId');
      }
      const known = (await listPlans(context.database)).map((plan) => plan.id);
      throw planErrors.unknownPlan(body.plan ?? '', known);
    }
    await context.budgets?.announceChange(organizationId);
    await announceLimitsChange(context, {
      organizationId,
      reason: 'plan',
      secretHashes: outcome.secretHashes,
    });
    const organization = await findOrganization(context.database, organizationId);
    if (!organization) throw errors.notFound(`Organization '${organizationId}'`, 'organizationId');
    return {
      ...serializeOrganization(organization),
      plan_id: outcome.plan?.id ?? null,
      plan: outcome.plan ? serializePlan(outcome.plan) : null,
    };
  });

  app.get('/v1/admin/plans/:planId', async (request) => {
    const caller = callerOf(request);
    if (!isAdministrator(caller)) {
      throw errors.forbidden('read plans', "Use a key with role 'admin' or the platform admin key.");
    }
    const { planId } = parseWith(planParamsSchema, request.params);
    const plan = await findPlan(context.database, planId);
    if (!plan) throw errors.notFound(`Plan '${planId}'`, 'planId');
    return serializePlan(plan);
  });
}
