import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { WebhookServices } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';
import { serializeWebhook } from './plan-budget-serializers.ts';

const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });

/** Whether the URL is one the platform may call is the service's rule (SSRF policy). */
const putWebhookSchema = z.strictObject({
  url: z.string().trim().max(2048),
  secret: z.string().min(16).max(256).optional(),
});

/**
 * An organisation's webhook for budget alerts: set (a signing secret is generated and returned
 * once when none is given; it is sealed under the master key and never shown again), read, delete.
 */
export function registerAdminWebhookRoutes(app: FastifyInstance, webhooks: WebhookServices): void {
  app.put('/v1/admin/organizations/:organizationId/webhook', requires('admin:budgets'), async (request) => {
    const caller = callerOf(request);
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    const body = parseWith(putWebhookSchema, request.body);
    const { webhook, generatedSecret } = await webhooks.put(caller, organizationId, {
      url: body.url,
      ...(body.secret ? { secret: body.secret } : {}),
    });
    return { ...serializeWebhook(webhook), ...(generatedSecret ? { secret: generatedSecret } : {}) };
  });

  app.get('/v1/admin/organizations/:organizationId/webhook', requires('admin:budgets'), async (request) => {
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    return serializeWebhook(await webhooks.get(callerOf(request), organizationId));
  });

  app.delete(
    '/v1/admin/organizations/:organizationId/webhook',
    requires('admin:budgets'),
    async (request) => {
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      await webhooks.delete(callerOf(request), organizationId);
      return { object: 'webhook.deleted', organization_id: organizationId, deleted: true };
    },
  );
}
