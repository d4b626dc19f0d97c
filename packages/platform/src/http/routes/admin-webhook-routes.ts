import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { errors } from '../../errors/index.ts';
import {
  deleteWebhook,
  findWebhook,
  newWebhookSecret,
  putWebhook,
  webhookUrlProblem,
} from '../../metering/budgets/index.ts';
import { requireOrganizationAdministrator } from '../../platform/index.ts';
import { findOrganization } from '../../tenancy/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import type { PlanAndBudgetRouteContext } from './plan-budget-route-context.ts';
import { serializeWebhook } from './plan-budget-serializers.ts';

const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });

/**
 * An organisation's webhook for budget alerts: set (a signing secret is generated and returned
 * once when none is given; it is sealed under the master key and never shown again), read, delete.
 */
export function registerAdminWebhookRoutes(app: FastifyInstance, context: PlanAndBudgetRouteContext): void {
  const putWebhookSchema = z.strictObject({
    url: z
      .string()
      .trim()
      .max(2048)
      .superRefine((url, refinement) => {
        const problem = webhookUrlProblem(url, context.webhookUrls);
        if (problem) refinement.addIssue({ code: 'custom', message: problem });
      }),
    secret: z.string().min(16).max(256).optional(),
  });

  app.put('/v1/admin/organizations/:organizationId/webhook', async (request) => {
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    requireOrganizationAdministrator(callerOf(request), organizationId);
    const body = parseWith(putWebhookSchema, request.body);
    const destination = await context.webhookUrls.destinationProblem?.(body.url);
    if (destination) throw errors.invalidRequest('url', `Invalid value for 'url': ${destination}.`);
    if (!context.secretBox) {
      throw errors.unavailable(
        'Webhooks cannot be stored: no master key is configured to seal their secrets.',
        'Set KIMI_MASTER_KEY (32 bytes as hex or base64, e.g. `openssl rand -hex 32`) on every instance.',
      );
    }
    if (!(await findOrganization(context.database, organizationId))) {
      throw errors.notFound(`Organization '${organizationId}'`, 'organizationId');
    }
    const secret = body.secret ?? newWebhookSecret();
    const webhook = await putWebhook(context.database, context.secretBox, {
      organizationId,
      url: body.url,
      secret,
    });
    return { ...serializeWebhook(webhook), ...(body.secret ? {} : { secret }) };
  });

  app.get('/v1/admin/organizations/:organizationId/webhook', async (request) => {
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    requireOrganizationAdministrator(callerOf(request), organizationId);
    const webhook = await findWebhook(context.database, organizationId);
    if (!webhook) throw errors.notFound(`A webhook of organization '${organizationId}'`, 'organizationId');
    return serializeWebhook(webhook);
  });

  app.delete('/v1/admin/organizations/:organizationId/webhook', async (request) => {
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    requireOrganizationAdministrator(callerOf(request), organizationId);
    if (!(await deleteWebhook(context.database, organizationId))) {
      throw errors.notFound(`A webhook of organization '${organizationId}'`, 'organizationId');
    }
    return { object: 'webhook.deleted', organization_id: organizationId, deleted: true };
  });
}
