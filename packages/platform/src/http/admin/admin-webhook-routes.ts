import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { WebhookServices } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';
import { serializeWebhook, webhookExample, webhookSchema } from './plan-budget-serializers.ts';

const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });

/** Whether the URL is one the platform may call is the service's rule (SSRF policy). */
const putWebhookSchema = z.strictObject({
  url: z
    .string()
    .trim()
    .max(2048)
    .describe('Where alerts are posted: a public https URL (the SSRF policy decides).'),
  secret: z
    .string()
    .min(16)
    .max(256)
    .optional()
    .describe('The signing secret; omitted: one is generated and returned once.'),
});

const webhookWithSecretSchema = webhookSchema
  .extend({
    secret: z
      .string()
      .optional()
      .describe('The generated signing secret: present only when none was given, shown this once.'),
  })
  .meta({ id: 'BudgetWebhookWithSecret' });
const webhookDeletedSchema = z
  .object({ object: z.literal('webhook.deleted'), organization_id: z.string(), deleted: z.literal(true) })
  .meta({ id: 'BudgetWebhookDeleted' });
const tag = 'Admin: budgets';

/**
 * An organisation's webhook for budget alerts: set (a signing secret is generated and returned
 * once when none is given; it is sealed under the master key and never shown again), read, delete.
 */
export function registerAdminWebhookRoutes(app: FastifyInstance, webhooks: WebhookServices): void {
  app.put(
    '/v1/admin/organizations/:organizationId/webhook',
    requires('admin:budgets', {
      operationId: 'putBudgetWebhook',
      summary: "Set the organisation's budget-alert webhook",
      description:
        'Each alert is posted as JSON, signed in `x-kimi-signature`. Without a `secret`, one is generated and returned once; it is stored sealed and never shown again.',
      tag,
      params: organizationParamsSchema,
      body: putWebhookSchema,
      bodyExample: { url: 'https://hooks.example.com/kimi' },
      responses: {
        200: {
          description: 'The webhook, with the generated secret when none was given.',
          schema: webhookWithSecretSchema,
          example: { ...webhookExample, secret: 'whsec_8Jr2Lq6Tn1Xw4Zb9Kc3Vm7P' },
        },
      },
      errors: [404],
    }),
    async (request) => {
      const caller = callerOf(request);
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      const body = parseWith(putWebhookSchema, request.body);
      const { webhook, generatedSecret } = await webhooks.put(caller, organizationId, {
        url: body.url,
        ...(body.secret ? { secret: body.secret } : {}),
      });
      return { ...serializeWebhook(webhook), ...(generatedSecret ? { secret: generatedSecret } : {}) };
    },
  );

  app.get(
    '/v1/admin/organizations/:organizationId/webhook',
    requires('admin:budgets', {
      operationId: 'getBudgetWebhook',
      summary: "Get the organisation's budget-alert webhook",
      tag,
      params: organizationParamsSchema,
      responses: {
        200: {
          description: 'The webhook (never its secret).',
          schema: webhookSchema,
          example: webhookExample,
        },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      return serializeWebhook(await webhooks.get(callerOf(request), organizationId));
    },
  );

  app.delete(
    '/v1/admin/organizations/:organizationId/webhook',
    requires('admin:budgets', {
      operationId: 'deleteBudgetWebhook',
      summary: "Delete the organisation's budget-alert webhook",
      tag,
      params: organizationParamsSchema,
      responses: {
        200: {
          description: 'The webhook is deleted.',
          schema: webhookDeletedSchema,
          example: {
            object: 'webhook.deleted',
            organization_id: webhookExample.organization_id,
            deleted: true,
          },
        },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      await webhooks.delete(callerOf(request), organizationId);
      return { object: 'webhook.deleted', organization_id: organizationId, deleted: true };
    },
  );
}
