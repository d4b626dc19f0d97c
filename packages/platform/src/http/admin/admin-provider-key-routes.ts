import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ProviderKeySummary } from '../../tenancy/index.ts';
import { callerOf } from '../authentication.ts';
import { timestampSchema } from '../openapi/index.ts';
import { parseWith } from '../parse-body.ts';
import type { RouteContext } from '../route-context.ts';
import { requires } from '../route-permission.ts';

const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });
const providerParamsSchema = organizationParamsSchema.extend({ provider: z.string().min(1).max(64) });

const putProviderKeySchema = z.strictObject({
  api_key: z
    .string()
    .trim()
    .min(8)
    .max(4096)
    .describe("The provider's API key: stored sealed, never shown again."),
  // https only: an organisation admin must not be able to point the platform at internal services.
  base_url: z
    .url({ protocol: /^https$/, message: 'must be an https:// URL' })
    .max(2048)
    .nullish()
    .describe("Another https endpoint for the provider's API; omitted or null: the provider's own."),
});

const providerKeySchema = z
  .object({
    object: z.literal('provider_key'),
    provider: z.string(),
    key_hint: z.string().describe("'…' and the key's last characters, to recognise it."),
    base_url: z.string().nullable(),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({
    id: 'ProviderKey',
    description: "An organisation's own key for a provider, never the key itself.",
  });
const providerKeyExample = {
  object: 'provider_key',
  provider: 'openai',
  key_hint: '…x7Qa',
  base_url: null,
  created_at: '2026-12-07T16:00:00.000Z',
  updated_at: '2026-12-07T16:00:00.000Z',
} satisfies z.output<typeof providerKeySchema>;
const providerKeyListSchema = z
  .object({ object: z.literal('list'), data: z.array(providerKeySchema) })
  .meta({ id: 'ProviderKeyList' });
const providerKeyDeletedSchema = z
  .object({ object: z.literal('provider_key.deleted'), provider: z.string(), deleted: z.literal(true) })
  .meta({ id: 'ProviderKeyDeleted' });
const tag = 'Admin: provider keys';

function serializeProviderKey(summary: ProviderKeySummary): z.output<typeof providerKeySchema> {
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
    requires('admin:providers', {
      operationId: 'putProviderKey',
      summary: "Set the organisation's key for a provider",
      description:
        "The organisation's requests to that provider use this key instead of the platform's. The provider must be a configured, real one (400 otherwise); a `base_url` must be a public https endpoint.",
      tag,
      params: providerParamsSchema,
      body: putProviderKeySchema,
      bodyExample: { api_key: 'sk-proj-abcdefghijklmnopx7Qa' },
      responses: {
        200: {
          description: 'The key, without its secret.',
          schema: providerKeySchema,
          example: providerKeyExample,
        },
      },
      errors: [404],
    }),
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
    requires('admin:providers', {
      operationId: 'listProviderKeys',
      summary: "List the organisation's provider keys",
      tag,
      params: organizationParamsSchema,
      responses: {
        200: {
          description: 'Every provider key of the organisation (never the keys).',
          schema: providerKeyListSchema,
          example: { object: 'list', data: [providerKeyExample] },
        },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      const keys = await providerKeys.list(callerOf(request), organizationId);
      return { object: 'list', data: keys.map(serializeProviderKey) };
    },
  );

  app.delete(
    '/v1/admin/organizations/:organizationId/provider-keys/:provider',
    requires('admin:providers', {
      operationId: 'deleteProviderKey',
      summary: "Delete the organisation's key for a provider",
      description: "The organisation's requests to that provider use the platform's key again.",
      tag,
      params: providerParamsSchema,
      responses: {
        200: {
          description: 'The key is deleted.',
          schema: providerKeyDeletedSchema,
          example: { object: 'provider_key.deleted', provider: 'openai', deleted: true },
        },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId, provider } = parseWith(providerParamsSchema, request.params);
      await providerKeys.delete(callerOf(request), organizationId, provider);
      return { object: 'provider_key.deleted', provider, deleted: true };
    },
  );
}
