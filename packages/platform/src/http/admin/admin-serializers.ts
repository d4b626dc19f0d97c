import { z } from 'zod';
import { permissions } from '../../identity/index.ts';
import { type ApiKey, apiKeyRoles, type Organization } from '../../tenancy/index.ts';
import { metadataSchema, timestampSchema } from '../openapi/index.ts';

export const organizationSchema = z
  .object({
    id: z.string(),
    object: z.literal('organization'),
    name: z.string(),
    metadata: metadataSchema,
    created_at: timestampSchema,
    disabled_at: timestampSchema.nullable(),
    plan_id: z.string().nullable(),
  })
  .meta({ id: 'Organization', description: 'A tenant: everything else belongs to one.' });

export const organizationExample = {
  id: 'org_3kTtV5xQ1mZ8rB2w',
  object: 'organization',
  name: 'Acme',
  metadata: {},
  created_at: '2026-12-07T16:00:00.000Z',
  disabled_at: null,
  plan_id: 'basic',
} satisfies z.output<typeof organizationSchema>;

export function serializeOrganization(organization: Organization): z.output<typeof organizationSchema> {
  return {
    id: organization.id,
    object: 'organization' as const,
    name: organization.name,
    metadata: organization.metadata,
    created_at: organization.createdAt.toISOString(),
    disabled_at: organization.disabledAt?.toISOString() ?? null,
    plan_id: organization.planId,
  };
}

export const apiKeySchema = z
  .object({
    id: z.string(),
    object: z.literal('api_key'),
    organization_id: z.string(),
    name: z.string(),
    role: z.enum(apiKeyRoles),
    scopes: z
      .array(z.string())
      .nullable()
      .describe(
        `Permissions the key is limited to (${permissions.join(', ')}); null grants everything the role may do.`,
      ),
    user_id: z.string().nullable().describe('The person the key belongs to, if any.'),
    team_id: z.string().nullable(),
    display_prefix: z.string().describe('The first characters of the secret, to recognise it.'),
    allowed_models: z.array(z.string()).nullable(),
    metadata: metadataSchema,
    expires_at: timestampSchema.nullable(),
    revoked_at: timestampSchema.nullable(),
    last_used_at: timestampSchema.nullable(),
    created_at: timestampSchema,
  })
  .meta({
    id: 'ApiKey',
    description: 'An API key, never with its secret (shown once, at creation or rotation).',
  });

export const apiKeyExample = {
  id: 'key_5fQm2Lx9Tb7cW1zR',
  object: 'api_key',
  organization_id: 'org_3kTtV5xQ1mZ8rB2w',
  name: 'ci',
  role: 'developer',
  scopes: null,
  user_id: null,
  team_id: null,
  display_prefix: 'sk-kimi-Ab3d',
  allowed_models: ['sim/fast'],
  metadata: {},
  expires_at: null,
  revoked_at: null,
  last_used_at: null,
  created_at: '2026-12-07T16:00:00.000Z',
} satisfies z.output<typeof apiKeySchema>;

/** A key as lists show it: never the secret or its hash. */
export function serializeApiKey(apiKey: ApiKey): z.output<typeof apiKeySchema> {
  return {
    id: apiKey.id,
    object: 'api_key' as const,
    organization_id: apiKey.organizationId,
    name: apiKey.name,
    role: apiKey.role,
    scopes: apiKey.scopes,
    user_id: apiKey.userId,
    team_id: apiKey.teamId,
    display_prefix: apiKey.displayPrefix,
    allowed_models: apiKey.allowedModels,
    metadata: apiKey.metadata,
    expires_at: apiKey.expiresAt?.toISOString() ?? null,
    revoked_at: apiKey.revokedAt?.toISOString() ?? null,
    last_used_at: apiKey.lastUsedAt?.toISOString() ?? null,
    created_at: apiKey.createdAt.toISOString(),
  };
}

/** Keyset pagination envelope: `after` the last id for the next page. */
export function listEnvelope<Item extends { id: string }>(items: Item[], limit: number) {
  const page = items.slice(0, limit);
  return {
    object: 'list' as const,
    data: page,
    has_more: items.length > limit,
    last_id: page.length > 0 ? page[page.length - 1]!.id : null,
  };
}
