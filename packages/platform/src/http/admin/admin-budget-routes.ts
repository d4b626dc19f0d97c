import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { maximumEndUserLength } from '../../metering/budgets/index.ts';
import { budgetUsdSchema } from '../../metering/plans/index.ts';
import type { BudgetServices, BudgetView } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';
import { paginationSchema } from './admin-organization-routes.ts';
import { listEnvelope } from './admin-serializers.ts';
import { serializeBudget, serializeBudgetAlert } from './plan-budget-serializers.ts';

const scopes = ['organization', 'team', 'api_key', 'end_user'] as const;
const periods = ['day', 'month', 'total'] as const;

const alertThresholdsSchema = z
  .array(z.number().int().min(1).max(100))
  .min(1)
  .max(10)
  .refine((values) => new Set(values).size === values.length, 'must not repeat a threshold')
  .transform((values) => [...values].sort((left, right) => left - right));

export const createBudgetSchema = z.strictObject({
  scope: z.enum(scopes),
  subject: z.string().min(1).max(maximumEndUserLength).optional(),
  limit_usd: budgetUsdSchema,
  period: z.enum(periods),
  alert_thresholds: alertThresholdsSchema.optional(),
});

export const changeBudgetSchema = z
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

const present = (view: BudgetView) => serializeBudget(view.budget, view);

/** Budgets of an organisation (its admin manages them) and the alerts they raised. */
export function registerAdminBudgetRoutes(app: FastifyInstance, budgets: BudgetServices): void {
  app.post(
    '/v1/admin/organizations/:organizationId/budgets',
    requires('admin:budgets'),
    async (request, reply) => {
      const caller = callerOf(request);
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      const body = parseWith(createBudgetSchema, request.body);
      const view = await budgets.create(caller, organizationId, {
        scope: body.scope,
        ...(body.subject === undefined ? {} : { subject: body.subject }),
        limitUsd: body.limit_usd,
        period: body.period,
        ...(body.alert_thresholds ? { alertThresholds: body.alert_thresholds } : {}),
      });
      return reply.status(201).send(present(view));
    },
  );

  app.get('/v1/admin/organizations/:organizationId/budgets', requires('admin:budgets'), async (request) => {
    const caller = callerOf(request);
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    const query = parseWith(listBudgetsQuerySchema, request.query);
    const views = await budgets.list(caller, organizationId, {
      limit: query.limit + 1,
      ...(query.after ? { after: query.after } : {}),
      ...(query.scope ? { scope: query.scope } : {}),
    });
    return listEnvelope(views.map(present), query.limit);
  });

  app.get(
    '/v1/admin/organizations/:organizationId/budgets/:budgetId',
    requires('admin:budgets'),
    async (request) => {
      const { organizationId, budgetId } = parseWith(budgetParamsSchema, request.params);
      return present(await budgets.get(callerOf(request), organizationId, budgetId));
    },
  );

  app.patch(
    '/v1/admin/organizations/:organizationId/budgets/:budgetId',
    requires('admin:budgets'),
    async (request) => {
      const caller = callerOf(request);
      const { organizationId, budgetId } = parseWith(budgetParamsSchema, request.params);
      const body = parseWith(changeBudgetSchema, request.body);
      const view = await budgets.update(caller, organizationId, budgetId, {
        ...(body.limit_usd ? { limitUsd: body.limit_usd } : {}),
        ...(body.period ? { period: body.period } : {}),
        ...(body.alert_thresholds ? { alertThresholds: body.alert_thresholds } : {}),
      });
      return present(view);
    },
  );

  app.delete(
    '/v1/admin/organizations/:organizationId/budgets/:budgetId',
    requires('admin:budgets'),
    async (request) => {
      const { organizationId, budgetId } = parseWith(budgetParamsSchema, request.params);
      await budgets.delete(callerOf(request), organizationId, budgetId);
      return { id: budgetId, object: 'budget.deleted', deleted: true };
    },
  );

  app.get(
    '/v1/admin/organizations/:organizationId/budget-alerts',
    requires('admin:budgets'),
    async (request) => {
      const caller = callerOf(request);
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      const query = parseWith(listAlertsQuerySchema, request.query);
      const alerts = await budgets.alerts(caller, organizationId, {
        limit: query.limit,
        ...(query.budget_id ? { budgetId: query.budget_id } : {}),
      });
      return { object: 'list', data: alerts.map(serializeBudgetAlert) };
    },
  );
}
