import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { errors } from '../../errors/index.ts';
import {
  type Budget,
  createBudget,
  currentPeriod,
  deleteBudget,
  findBudget,
  ledgerLevelOf,
  listBudgetAlerts,
  listBudgets,
  maximumEndUserLength,
  toBudgetCounter,
  updateBudget,
} from '../../metering/budgets/index.ts';
import type { BudgetPeriod } from '../../metering/limits/index.ts';
import {
  budgetUsdSchema,
  describeUpgrade,
  listPlans,
  nanoUsdToUsd,
  planForOrganization,
  suggestUpgrade,
  usdToNanoUsd,
} from '../../metering/plans/index.ts';
import { requireOrganizationAdministrator } from '../../platform/index.ts';
import { type AuthContext, findOrganization } from '../../tenancy/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { paginationSchema } from './admin-organization-routes.ts';
import { listEnvelope } from './admin-serializers.ts';
import type { PlanAndBudgetRouteContext } from './plan-budget-route-context.ts';
import { serializeBudget, serializeBudgetAlert } from './plan-budget-serializers.ts';

const scopes = ['organization', 'api_key', 'end_user'] as const;
const periods = ['day', 'month', 'total'] as const;

const alertThresholdsSchema = z
  .array(z.number().int().min(1).max(100))
  .min(1)
  .max(10)
  .refine((values) => new Set(values).size === values.length, 'must not repeat a threshold')
  .transform((values) => [...values].sort((left, right) => left - right));

const createBudgetSchema = z.strictObject({
  scope: z.enum(scopes),
  subject: z.string().min(1).max(maximumEndUserLength).optional(),
  limit_usd: budgetUsdSchema,
  period: z.enum(periods),
  alert_thresholds: alertThresholdsSchema.optional(),
});

const changeBudgetSchema = z
  .strictObject({
    limit_usd: budgetUsdSchema.optional(),
    period: z.enum(periods).optional(),
    alert_thresholds: alertThresholdsSchema.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'give at least one of limit_usd, period, alert_thresholds');

const listBudgetsQuerySchema = paginationSchema.extend({ scope: z.enum(scopes).optional() });
const listAlertsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  budget_id: z.string().min(1).max(64).optional(),
});

const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });
const budgetParamsSchema = organizationParamsSchema.extend({ budgetId: z.string().min(1).max(64) });

/**
 * Budgets of an organisation (its admin manages them) and the alerts they raised. An
 * organisation admin cannot lift its plan's spend cap: while the plan sets a monthly budget, an
 * organisation-scope budget it writes must be no looser (month or total, at most the plan's amount).
 */
export function registerAdminBudgetRoutes(app: FastifyInstance, context: PlanAndBudgetRouteContext): void {
  async function present(budgets: readonly Budget[]) {
    const now = context.clock.now();
    const live = context.budgetLevels
      ? await context.budgetLevels(budgets.map((budget) => toBudgetCounter(budget, now)))
      : [];
    return budgets.map((budget) => {
      const window = currentPeriod(budget.period, now);
      const level = live.find(
        (entry) => entry.budgetId === budget.id && entry.periodKey === window.periodKey,
      );
      const current = level
        ? {
            spentUsd: nanoUsdToUsd(BigInt(Math.floor(level.spentNanoUsd))),
            reservedUsd: nanoUsdToUsd(BigInt(Math.floor(level.reservedNanoUsd))),
          }
        : ledgerLevelOf(budget, now);
      return serializeBudget(budget, { window, ...current });
    });
  }

  async function assertWithinPlanBudget(
    caller: AuthContext,
    organizationId: string,
    budget: { scope: string; period: BudgetPeriod; limitUsd: string },
  ): Promise<void> {
    if (caller.role === 'platform_admin' || budget.scope !== 'organization') return;
    const plan = await planForOrganization(context.database, organizationId);
    if (!plan?.monthlyBudgetUsd) return;
    const planLimit = usdToNanoUsd(plan.monthlyBudgetUsd);
    if (budget.period !== 'day' && usdToNanoUsd(budget.limitUsd) <= planLimit) return;
    const upgrade = suggestUpgrade(
      plan,
      { budgetUsd: Number(budget.limitUsd) },
      await listPlans(context.database),
    );
    throw errors.invalidRequest(
      budget.period === 'day' ? 'period' : 'limit_usd',
      `The ${plan.name} plan caps this organization's spend at $${plan.monthlyBudgetUsd} per month; an organization budget set by an organization admin must be a 'month' or 'total' budget of at most that.`,
      `${describeUpgrade(plan, upgrade)} The platform admin can also set this budget.`,
    );
  }

  app.post('/v1/admin/organizations/:organizationId/budgets', async (request, reply) => {
    const caller = callerOf(request);
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    requireOrganizationAdministrator(caller, organizationId);
    const body = parseWith(createBudgetSchema, request.body);
    const subject = body.subject ?? (body.scope === 'organization' ? organizationId : undefined);
    if (subject === undefined)
      throw errors.invalidRequest('subject', "Missing required parameter: 'subject'.");
    if (!(await findOrganization(context.database, organizationId))) {
      throw errors.notFound(`Organization '${organizationId}'`, 'organizationId');
    }
    await assertWithinPlanBudget(caller, organizationId, {
      scope: body.scope,
      period: body.period,
      limitUsd: body.limit_usd,
    });
    const budget = await createBudget(
      context.database,
      organizationId,
      {
        scope: body.scope,
        subject,
        limitUsd: body.limit_usd,
        period: body.period,
        ...(body.alert_thresholds ? { alertThresholds: body.alert_thresholds } : {}),
      },
      context.clock.now(),
    );
    await context.budgets?.announceChange(organizationId);
    const [presented] = await present([budget]);
    return reply.status(201).send(presented);
  });

  app.get('/v1/admin/organizations/:organizationId/budgets', async (request) => {
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    requireOrganizationAdministrator(callerOf(request), organizationId);
    const query = parseWith(listBudgetsQuerySchema, request.query);
    const budgets = await listBudgets(context.database, organizationId, {
      limit: query.limit + 1,
      ...(query.after ? { after: query.after } : {}),
      ...(query.scope ? { scope: query.scope } : {}),
    });
    return listEnvelope(await present(budgets), query.limit);
  });

  app.get('/v1/admin/organizations/:organizationId/budgets/:budgetId', async (request) => {
    const { organizationId, budgetId } = parseWith(budgetParamsSchema, request.params);
    requireOrganizationAdministrator(callerOf(request), organizationId);
    const budget = await findBudget(context.database, organizationId, budgetId);
    if (!budget) throw errors.notFound(`Budget '${budgetId}'`, 'budgetId');
    const [presented] = await present([budget]);
    return presented;
  });

  app.patch('/v1/admin/organizations/:organizationId/budgets/:budgetId', async (request) => {
    const caller = callerOf(request);
    const { organizationId, budgetId } = parseWith(budgetParamsSchema, request.params);
    requireOrganizationAdministrator(caller, organizationId);
    const body = parseWith(changeBudgetSchema, request.body);
    const existing = await findBudget(context.database, organizationId, budgetId);
    if (!existing) throw errors.notFound(`Budget '${budgetId}'`, 'budgetId');
    if (body.limit_usd || body.period) {
      await assertWithinPlanBudget(caller, organizationId, {
        scope: existing.scope,
        period: body.period ?? existing.period,
        limitUsd: body.limit_usd ?? existing.limitUsd,
      });
    }
    const budget = await updateBudget(
      context.database,
      organizationId,
      budgetId,
      {
        ...(body.limit_usd ? { limitUsd: body.limit_usd } : {}),
        ...(body.period ? { period: body.period } : {}),
        ...(body.alert_thresholds ? { alertThresholds: body.alert_thresholds } : {}),
      },
      context.clock.now(),
    );
    if (!budget) throw errors.notFound(`Budget '${budgetId}'`, 'budgetId');
    await context.budgets?.announceChange(organizationId);
    const [presented] = await present([budget]);
    return presented;
  });

  app.delete('/v1/admin/organizations/:organizationId/budgets/:budgetId', async (request) => {
    const { organizationId, budgetId } = parseWith(budgetParamsSchema, request.params);
    requireOrganizationAdministrator(callerOf(request), organizationId);
    const budget = await deleteBudget(context.database, organizationId, budgetId);
    if (!budget) throw errors.notFound(`Budget '${budgetId}'`, 'budgetId');
    await context.budgets?.announceChange(organizationId);
    return { id: budgetId, object: 'budget.deleted', deleted: true };
  });

  app.get('/v1/admin/organizations/:organizationId/budget-alerts', async (request) => {
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    requireOrganizationAdministrator(callerOf(request), organizationId);
    const query = parseWith(listAlertsQuerySchema, request.query);
    const alerts = await listBudgetAlerts(context.database, organizationId, {
      limit: query.limit,
      ...(query.budget_id ? { budgetId: query.budget_id } : {}),
    });
    return { object: 'list', data: alerts.map(serializeBudgetAlert) };
  });
}
