import type { ApiKey, Organization } from '../../tenancy/index.ts';

export function serializeOrganization(organization: Organization) {
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

/** A key as lists show it: never the secret or its hash. */
export function serializeApiKey(apiKey: ApiKey) {
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
