import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { errors } from '../../errors/index.ts';
import type { ProviderKeySummary } from '../../tenancy/index.ts';
import {
  deleteProviderKey,
  findOrganization,
  listProviderKeys,
  putProviderKey,
} from '../../tenancy/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { requireOrganizationAdministrator } from './admin-access.ts';
import type { RouteContext } from './route-context.ts';

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
  const realProviders = () =>
    context.providers.filter((provider) => !provider.simulated).map((provider) => provider.name);

  function requireKnownProvider(provider: string): void {
    if (!realProviders().includes(provider)) {
      const known = realProviders();
      throw errors.invalidRequest(
        'provider',
        `'${provider}' is not a configured provider.`,
        known.length > 0
          ? `Use one of: ${known.join(', ')}.`
          : 'No real provider is configured; configure one in kimi.config.yaml or by its API key variable.',
      );
    }
  }

  app.put('/v1/admin/organizations/:organizationId/provider-keys/:provider', async (request) => {
    const { organizationId, provider } = parseWith(providerParamsSchema, request.params);
    requireOrganizationAdministrator(callerOf(request), organizationId);
    requireKnownProvider(provider);
    const body = parseWith(putProviderKeySchema, request.body);
    if (!context.secretBox) {
      throw errors.unavailable(
        'Provider keys cannot be stored: no master key is configured.',
        'Set KIMI_MASTER_KEY (32 bytes as hex or base64, e.g. `openssl rand -hex 32`) on every instance.',
      );
    }
    if (!(await findOrganization(context.database, organizationId))) {
      throw errors.notFound(`Organization '${organizationId}'`, 'organizationId');
    }
    const summary = await putProviderKey(context.database, context.secretBox, {
      organizationId,
      provider,
      apiKey: body.api_key,
      baseUrl: body.base_url ?? null,
    });
    await context.providerCredentials.announceChange(organizationId);
    return serializeProviderKey(summary);
  });

  app.get('/v1/admin/organizations/:organizationId/provider-keys', async (request) => {
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    requireOrganizationAdministrator(callerOf(request), organizationId);
    const keys = await listProviderKeys(context.database, organizationId);
    return { object: 'list', data: keys.map(serializeProviderKey) };
  });

  app.delete('/v1/admin/organizations/:organizationId/provider-keys/:provider', async (request) => {
    const { organizationId, provider } = parseWith(providerParamsSchema, request.params);
    requireOrganizationAdministrator(callerOf(request), organizationId);
    if (!(await deleteProviderKey(context.database, organizationId, provider))) {
      throw errors.notFound(`A '${provider}' key of organization '${organizationId}'`, 'provider');
    }
    await context.providerCredentials.announceChange(organizationId);
    return { object: 'provider_key.deleted', provider, deleted: true };
  });
}
