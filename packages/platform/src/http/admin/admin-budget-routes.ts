import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { maximumEndUserLength } from '../../metering/budgets/index.ts';
import { budgetUsdSchema } from '../../metering/plans/index.ts';
import type { BudgetServices, BudgetView } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { listEnvelopeSchema } from '../openapi/index.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';
import { paginationSchema } from './admin-organization-routes.ts';
import { listEnvelope } from './admin-serializers.ts';
import {
  budgetAlertExample,
  budgetAlertSchema,
  budgetExample,
  budgetSchema,
  budgetPeriods as periods,
  budgetScopes as scopes,
  serializeBudget,
  serializeBudgetAlert,
} from './plan-budget-serializers.ts';

/** Documents what the amount parser (a transform) accepts; parsing is `budgetUsdSchema`'s. */
const limitUsdSchema = budgetUsdSchema.describe(
  'USD, a number or decimal text (e.g. 25 or "0.5"): > 0, at most 1000000000, at most 9 decimals.',
);

const alertThresholdsSchema = z
  .array(z.number().int().min(1).max(100))
  .min(1)
  .max(10)
  .refine((values) => new Set(values).size === values.length, 'must not repeat a threshold')
  .transform((values) => [...values].sort((left, right) => left - right))
  .describe('Percentages of the limit that raise an alert (default 50, 80, 100).');

const createBudgetSchema = z.strictObject({
  scope: z.enum(scopes),
  subject: z
    .string()
    .min(1)
    .max(maximumEndUserLength)
    .optional()
    .describe(
      "The team id, API key id or end-user string (requests' `user`) it limits; not given for `organization`.",
    ),
  limit_usd: limitUsdSchema,
  period: z.enum(periods),
  alert_thresholds: alertThresholdsSchema.optional(),
});

const changeBudgetSchema = z
  .strictObject({
    limit_usd: limitUsdSchema.optional(),
    period: z.enum(periods).optional(),
    alert_thresholds: alertThresholdsSchema.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'give at least one of limit_usd, period, alert_thresholds');

const listBudgetsQuerySchema = paginationSchema.extend({ scope: z.enum(scopes).optional() });
const listAlertsQuerySchema = z.strictObject({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(100)
    .describe('At most this many alerts, newest first.'),
  budget_id: z.string().min(1).max(64).optional().describe("Only this budget's alerts."),
});

const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });
const budgetParamsSchema = organizationParamsSchema.extend({ budgetId: z.string().min(1).max(64) });

const budgetListSchema = listEnvelopeSchema(budgetSchema, 'BudgetList');
const budgetAlertListSchema = z
  .object({ object: z.literal('list'), data: z.array(budgetAlertSchema) })
  .meta({ id: 'BudgetAlertList' });
const budgetDeletedSchema = z
  .object({ id: z.string(), object: z.literal('budget.deleted'), deleted: z.literal(true) })
  .meta({ id: 'BudgetDeleted' });
const tag = 'Admin: budgets';

const present = (view: BudgetView) => serializeBudget(view.budget, view);

/** Budgets of an organisation (its admin manages them) and the alerts they raised. */
export function registerAdminBudgetRoutes(app: FastifyInstance, budgets: BudgetServices): void {
  app.post(
    '/v1/admin/organizations/:organizationId/budgets',
    requires('admin:budgets', {
      operationId: 'createBudget',
      summary: 'Create a budget',
      description: 'One budget per scope and subject: another is a 409 (change that one with PATCH).',
      tag,
      params: organizationParamsSchema,
      body: createBudgetSchema,
      bodyExample: {
        scope: 'organization',
        limit_usd: '250',
        period: 'month',
        alert_thresholds: [50, 80, 100],
      },
      responses: {
        201: {
          description: 'The budget, with its current period.',
          schema: budgetSchema,
          example: { ...budgetExample, spent_usd: '0', reserved_usd: '0' },
        },
      },
      errors: [404, 409],
    }),
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

  app.get(
    '/v1/admin/organizations/:organizationId/budgets',
    requires('admin:budgets', {
      operationId: 'listBudgets',
      summary: "List an organisation's budgets",
      tag,
      params: organizationParamsSchema,
      query: listBudgetsQuerySchema,
      responses: {
        200: {
          description: 'A page of budgets with their current spend.',
          schema: budgetListSchema,
          example: { object: 'list', data: [budgetExample], has_more: false, last_id: budgetExample.id },
        },
      },
      errors: [404],
    }),
    async (request) => {
      const caller = callerOf(request);
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      const query = parseWith(listBudgetsQuerySchema, request.query);
      const views = await budgets.list(caller, organizationId, {
        limit: query.limit + 1,
        ...(query.after ? { after: query.after } : {}),
        ...(query.scope ? { scope: query.scope } : {}),
      });
      return listEnvelope(views.map(present), query.limit);
    },
  );

  app.get(
    '/v1/admin/organizations/:organizationId/budgets/:budgetId',
    requires('admin:budgets', {
      operationId: 'getBudget',
      summary: 'Get a budget',
      tag,
      params: budgetParamsSchema,
      responses: {
        200: {
          description: 'The budget with its current spend.',
          schema: budgetSchema,
          example: budgetExample,
        },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId, budgetId } = parseWith(budgetParamsSchema, request.params);
      return present(await budgets.get(callerOf(request), organizationId, budgetId));
    },
  );

  app.patch(
    '/v1/admin/organizations/:organizationId/budgets/:budgetId',
    requires('admin:budgets', {
      operationId: 'updateBudget',
      summary: "Change a budget's limit, period or alert thresholds",
      tag,
      params: budgetParamsSchema,
      body: changeBudgetSchema,
      bodyExample: { limit_usd: 500 },
      responses: {
        200: {
          description: 'The changed budget.',
          schema: budgetSchema,
          example: { ...budgetExample, limit_usd: '500' },
        },
      },
      errors: [404],
    }),
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
    requires('admin:budgets', {
      operationId: 'deleteBudget',
      summary: 'Delete a budget',
      tag,
      params: budgetParamsSchema,
      responses: {
        200: {
          description: 'The budget is deleted.',
          schema: budgetDeletedSchema,
          example: { id: budgetExample.id, object: 'budget.deleted', deleted: true },
        },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId, budgetId } = parseWith(budgetParamsSchema, request.params);
      await budgets.delete(callerOf(request), organizationId, budgetId);
      return { id: budgetId, object: 'budget.deleted', deleted: true };
    },
  );

  app.get(
    '/v1/admin/organizations/:organizationId/budget-alerts',
    requires('admin:budgets', {
      operationId: 'listBudgetAlerts',
      summary: 'List the alerts budgets raised',
      tag,
      params: organizationParamsSchema,
      query: listAlertsQuerySchema,
      responses: {
        200: {
          description: 'The alerts, newest first, with their delivery state.',
          schema: budgetAlertListSchema,
          example: { object: 'list', data: [budgetAlertExample] },
        },
      },
      errors: [404],
    }),
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
