import { errors } from '../../errors/index.ts';
import { attributionOf } from '../../identity/audit/index.ts';
import { requirePermission } from '../../identity/index.ts';
import {
  deleteWebhook,
  findWebhook,
  newWebhookSecret,
  putWebhook,
  type WebhookSummary,
  webhookUrlProblem,
} from '../../metering/budgets/index.ts';
import { type AuthContext, findOrganization } from '../../tenancy/index.ts';
import { webhookSummary } from './audit-summaries.ts';
import type { PlanAndBudgetDependencies } from './plan-budget-dependencies.ts';

export interface WebhookServices {
  /**
   * Sets the organisation's budget-alert webhook. Without a `secret` one is generated and returned
   * (this once); it is sealed under the master key and never shown again.
   */
  put(
    caller: AuthContext,
    organizationId: string,
    input: { url: string; secret?: string },
  ): Promise<{ webhook: WebhookSummary; generatedSecret: string | null }>;
  get(caller: AuthContext, organizationId: string): Promise<WebhookSummary>;
  delete(caller: AuthContext, organizationId: string): Promise<void>;
}

export function createWebhookServices(dependencies: PlanAndBudgetDependencies): WebhookServices {
  const { audit } = dependencies;
  const missing = (organizationId: string) =>
    errors.notFound(`A webhook of organization '${organizationId}'`, 'organizationId');
  return {
    async put(caller, organizationId, input) {
      requirePermission(caller, 'admin:budgets', organizationId);
      const database = dependencies.database.forOrganization(organizationId);
      const problem = webhookUrlProblem(input.url, dependencies.webhookUrls);
      if (problem) throw errors.invalidRequest('url', `Invalid value for 'url': ${problem}.`);
      // The host is resolved too: a public-looking name may lead to a private address.
      const destination = await dependencies.webhookUrls.destinationProblem?.(input.url);
      if (destination) throw errors.invalidRequest('url', `Invalid value for 'url': ${destination}.`);
      const secretBox = dependencies.secretBox;
      if (!secretBox) {
        throw errors.unavailable(
          'Webhooks cannot be stored: no master key is configured to seal their secrets.',
          'Set KIMI_MASTER_KEY (32 bytes as hex or base64, e.g. `openssl rand -hex 32`) on every instance.',
        );
      }
      const secret = input.secret ?? newWebhookSecret();
      const webhook = await database.transaction(async (transaction) => {
        if (!(await findOrganization(transaction, organizationId))) {
          throw errors.notFound(`Organization '${organizationId}'`, 'organizationId');
        }
        const before = await findWebhook(transaction, organizationId);
        const stored = await putWebhook(transaction, secretBox, { organizationId, url: input.url, secret });
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId,
          action: 'webhook.set',
          target: { type: 'webhook', id: organizationId },
          before: before ? webhookSummary(before) : null,
          after: { ...webhookSummary(stored), secret_generated: input.secret === undefined },
        });
        return stored;
      });
      return { webhook, generatedSecret: input.secret ? null : secret };
    },
    async get(caller, organizationId) {
      requirePermission(caller, 'admin:budgets', organizationId);
      const database = dependencies.database.forOrganization(organizationId);
      const webhook = await findWebhook(database, organizationId);
      if (!webhook) throw missing(organizationId);
      return webhook;
    },
    async delete(caller, organizationId) {
      requirePermission(caller, 'admin:budgets', organizationId);
      const database = dependencies.database.forOrganization(organizationId);
      await database.transaction(async (transaction) => {
        const before = await findWebhook(transaction, organizationId);
        if (!before || !(await deleteWebhook(transaction, organizationId))) throw missing(organizationId);
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId,
          action: 'webhook.deleted',
          target: { type: 'webhook', id: organizationId },
          before: webhookSummary(before),
          after: null,
        });
      });
    },
  };
}
