/**
 * The roles a person (a membership) or a key holds in an organisation, most privileged first.
 * What each may do is the permission matrix in `identity/permissions.ts`.
 */
export const organizationRoles = ['owner', 'admin', 'developer', 'viewer', 'billing'] as const;
export type OrganizationRole = (typeof organizationRoles)[number];

/** Every role a key can carry: an organisation role, or the platform admin's (the bootstrap key). */
export const apiKeyRoles = ['platform_admin', ...organizationRoles] as const;
export type ApiKeyRole = (typeof apiKeyRoles)[number];

/**
 * What authenticated a caller: an API key, a browser session (signed in through the organisation's
 * identity provider), or a workload calling with a JWT from that provider.
 */
export const principalKinds = ['api_key', 'session', 'workload'] as const;
export type PrincipalKind = (typeof principalKinds)[number];

/** The authenticated caller, taken from the key; repositories read the organisation only from here. */
export interface AuthContext {
  organizationId: string;
  /** What authenticated the caller; `apiKeyId` is that principal's id. */
  principal: PrincipalKind;
  /**
   * The principal's stable id, which usage records carry in `api_key_id`: the key's id (`key_…`),
   * a session's id (`ses_…`), or for a workload `jwt:` and 16 hex characters of the SHA-256 of its
   * issuer, a newline and its subject.
   */
  apiKeyId: string;
  keyName: string;
  role: ApiKeyRole;
  /** The key's scopes: null grants everything its role may do; otherwise only these (within the role). */
  scopes: readonly string[] | null;
  /** The person the key belongs to (its role follows their membership), or null for a service key. */
  userId: string | null;
  /** The team the key belongs to, or null. */
  teamId: string | null;
  /** Null means every model; otherwise public ids or aliases, `provider/*` allowed. */
  allowedModels: readonly string[] | null;
  /** Epoch ms after which the key is refused, or null. */
  expiresAt: number | null;
  /** The organisation's plan id (null: no plan, no plan limits), for routing policies and limits. */
  plan: string | null;
  /** The organisation's own rate limits (each null where its plan's apply). */
  organizationRateLimits: StoredRateLimits;
  /** The key's own rate limits, checked besides the organisation's. */
  keyRateLimits: StoredRateLimits;
  /** The rate limits of the key's team (all null without a team), checked besides the others. */
  teamRateLimits: StoredRateLimits;
  /** Where this call came from, for the audit log; absent for work the platform does itself. */
  origin?: RequestOrigin;
}

/** The network origin and id of the request a caller made. */
export interface RequestOrigin {
  clientAddress: string | null;
  requestId: string | null;
}

/** Rate limits as stored on an organisation or key; null means "not set here". */
export interface StoredRateLimits {
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  concurrentRequests: number | null;
}

/** Reads the jsonb `rate_limits` column of organizations and api_keys. */
export function readStoredRateLimits(stored: Record<string, unknown> | null | undefined): StoredRateLimits {
  const value = (name: string) => {
    const found = stored?.[name];
    return typeof found === 'number' ? found : null;
  };
  return {
    requestsPerMinute: value('requests_per_minute'),
    tokensPerMinute: value('tokens_per_minute'),
    concurrentRequests: value('concurrent_requests'),
  };
}
