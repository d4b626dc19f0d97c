import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ProviderKeySummary } from '../../tenancy/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import type { RouteContext } from '../route-context.ts';
import { requires } from '../route-permission.ts';

const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });
const providerParamsSchema = organizationParamsSchema.extend({ provider: z.string().min(1).max(64) });

const putProviderKeySchema = z.strictObject({
  api_key: z.string().trim().min(8).max(4096),
  // https only: an organisation admin must not be able to point the platform at internal services.
  base_url: z
    .url({ protocol: /^https$/, message: 'must be an https:// URL' })
    .max(2048)
    .nullish(),
});

function serializeProviderKey(summary: ProviderKeySummary) {
  return {
    object: 'provider_key' as const,
    provider: summary.provider,
    key_hint: `…${summary.keySuffix}`,
    base_url: summary.baseUrl,
    created_at: summary.createdAt.toISOString(),
    updated_at: summary.updatedAt.toISOString(),
  };
}

/** An organisation's own provider keys: set, list (never the key) and delete. */
export function registerAdminProviderKeyRoutes(app: FastifyInstance, context: RouteContext): void {
  const providerKeys = context.administration.providerKeys;

  app.put(
    '/v1/admin/organizations/:organizationId/provider-keys/:provider',
    requires('admin:providers'),
    async (request) => {
      const caller = callerOf(request);
      const { organizationId, provider } = parseWith(providerParamsSchema, request.params);
      const body = parseWith(putProviderKeySchema, request.body);
      const summary = await providerKeys.put(caller, organizationId, {
        provider,
        apiKey: body.api_key,
        baseUrl: body.base_url ?? null,
      });
      return serializeProviderKey(summary);
    },
  );

  app.get(
    '/v1/admin/organizations/:organizationId/provider-keys',
    requires('admin:providers'),
    async (request) => {
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      const keys = await providerKeys.list(callerOf(request), organizationId);
      return { object: 'list', data: keys.map(serializeProviderKey) };
    },
  );

  app.delete(
    '/v1/admin/organizations/:organizationId/provider-keys/:provider',
    requires('admin:providers'),
    async (request) => {
      const { organizationId, provider } = parseWith(providerParamsSchema, request.params);
      await providerKeys.delete(callerOf(request), organizationId, provider);
      return { object: 'provider_key.deleted', provider, deleted: true };
    },
  );
}
