import type { Queryable } from '../storage/db/index.ts';
import { displayPrefixOf, hashApiKeySecret, newApiKeyId, newApiKeySecret } from './identifiers.ts';
import type { ApiKeyRole } from './roles.ts';

export interface ApiKey {
  id: string;
  organizationId: string;
  name: string;
  role: ApiKeyRole;
  displayPrefix: string;
  /** Null grants everything the role may do. */
  scopes: string[] | null;
  /** The person the key belongs to; its role then follows their membership. */
  userId: string | null;
  teamId: string | null;
  allowedModels: string[] | null;
  metadata: Record<string, unknown>;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

export interface ApiKeyWithOrganizationState extends ApiKey {
  /** When the secret looked up is a rotated-out one: the end of its grace period. */
  retiredSecretValidUntil: Date | null;
  /** For a person's key: their membership's role now (null when they are no longer a member). */
  membershipRole: ApiKeyRole | null;
  organizationDisabledAt: Date | null;
  /** The organisation requires single sign-on for its people (its SSO connection's `require_sso`). */
  organizationRequiresSso: boolean;
  organizationPlan: string | null;
  organizationRateLimits: Record<string, unknown>;
  keyRateLimits: Record<string, unknown>;
  teamRateLimits: Record<string, unknown> | null;
}

interface ApiKeyRow {
  id: string;
  organization_id: string;
  name: string;
  role: ApiKeyRole;
  display_prefix: string;
  scopes: string[] | null;
  user_id: string | null;
  team_id: string | null;
  allowed_models: string[] | null;
  metadata: Record<string, unknown>;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  created_at: Date;
}

const columns =
  'k.id, k.organization_id, k.name, k.role, k.display_prefix, k.scopes, k.user_id, k.team_id, k.allowed_models, k.metadata, k.expires_at, k.revoked_at, k.last_used_at, k.created_at';

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    role: row.role,
    displayPrefix: row.display_prefix,
    scopes: row.scopes,
    userId: row.user_id,
    teamId: row.team_id,
    allowedModels: row.allowed_models,
    metadata: row.metadata,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
    createdAt: row.created_at,
  };
}

export interface NewApiKeyInput {
  organizationId: string;
  name: string;
  role: ApiKeyRole;
  scopes?: string[] | null;
  userId?: string | null;
  teamId?: string | null;
  allowedModels?: string[] | null;
  metadata?: Record<string, unknown>;
  expiresAt?: Date | null;
  /** Use this secret instead of a random one (the KIMI_ADMIN_KEY bootstrap). */
  secret?: string;
}

/** Creates a key. The secret is returned here once and never stored; only its hash is. */
export async function createApiKey(
  database: Queryable,
  input: NewApiKeyInput,
): Promise<{ apiKey: ApiKey; secret: string }> {
  const secret = input.secret ?? newApiKeySecret();
  const result = await database.query<ApiKeyRow>(
    `INSERT INTO api_keys AS k (id, organization_id, name, role, display_prefix, secret_hash, allowed_models, metadata, expires_at, scopes, user_id, team_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7::text[], $8::jsonb, $9, $10::text[], $11, $12)
     RETURNING ${columns}`,
    [
      newApiKeyId(),
      input.organizationId,
      input.name,
      input.role,
      displayPrefixOf(secret),
      hashApiKeySecret(secret),
      input.allowedModels ?? null,
      JSON.stringify(input.metadata ?? {}),
      input.expiresAt ?? null,
      input.scopes ?? null,
      input.userId ?? null,
      input.teamId ?? null,
    ],
  );
  return { apiKey: toApiKey(result.rows[0]!), secret };
}

/** The hot path's only lookup, done on a cache miss. */
export async function findApiKeyByHash(
  database: Queryable,
  secretHash: string,
): Promise<ApiKeyWithOrganizationState | null> {
  // why one statement: the current secret, or a rotated-out one still in its grace period.
  const result = await database.query<
    ApiKeyRow & {
      organization_disabled_at: Date | null;
      organization_requires_sso: boolean;
      organization_plan: string | null;
      organization_rate_limits: Record<string, unknown>;
      key_rate_limits: Record<string, unknown>;
      team_rate_limits: Record<string, unknown> | null;
      membership_role: ApiKeyRole | null;
      retired_valid_until: Date | null;
    }
  >(
    `SELECT ${columns}, o.disabled_at AS organization_disabled_at, coalesce(o.plan_id, o.metadata->>'plan') AS organization_plan,
            o.rate_limits AS organization_rate_limits, k.rate_limits AS key_rate_limits, t.rate_limits AS team_rate_limits,
            m.role AS membership_role, coalesce(s.require_sso, false) AS organization_requires_sso,
            found.valid_until AS retired_valid_until
       FROM (SELECT id AS api_key_id, NULL::timestamptz AS valid_until FROM api_keys WHERE secret_hash = $1
             UNION ALL
             SELECT api_key_id, valid_until FROM api_key_retired_secrets WHERE secret_hash = $1) found
       JOIN api_keys k ON k.id = found.api_key_id
       JOIN organizations o ON o.id = k.organization_id
       LEFT JOIN memberships m ON m.organization_id = k.organization_id AND m.user_id = k.user_id
       LEFT JOIN teams t ON t.id = k.team_id
       LEFT JOIN sso_connections s ON s.organization_id = k.organization_id
      LIMIT 1`,
    [secretHash],
  );
  const row = result.rows[0];
  return row
    ? {
        ...toApiKey(row),
        retiredSecretValidUntil: row.retired_valid_until,
        membershipRole: row.membership_role,
        organizationDisabledAt: row.organization_disabled_at,
        organizationRequiresSso: row.organization_requires_sso,
        organizationPlan: row.organization_plan,
        organizationRateLimits: row.organization_rate_limits,
        keyRateLimits: row.key_rate_limits,
        teamRateLimits: row.team_rate_limits,
      }
    : null;
}

/**
 * Gives the key a new secret; the old one keeps working until `validUntil` (an overlap for
 * deploying the new one), then stops. Null when there is no such live key in the organisation.
 */
export async function rotateApiKey(
  database: Queryable,
  input: { organizationId: string; id: string; validUntil: Date },
): Promise<{ apiKey: ApiKey; secret: string; previousSecretHash: string } | null> {
  const current = await database.query<{ secret_hash: string }>(
    `SELECT secret_hash FROM api_keys WHERE organization_id = $1 AND id = $2 AND revoked_at IS NULL FOR UPDATE`,
    [input.organizationId, input.id],
  );
  const previousSecretHash = current.rows[0]?.secret_hash;
  if (!previousSecretHash) return null;
  await database.query(
    `INSERT INTO api_key_retired_secrets (secret_hash, api_key_id, organization_id, valid_until)
     VALUES ($1, $2, $3, $4)`,
    [previousSecretHash, input.id, input.organizationId, input.validUntil],
  );
  const secret = newApiKeySecret();
  const result = await database.query<ApiKeyRow>(
    `UPDATE api_keys AS k SET secret_hash = $3, display_prefix = $4, updated_at = now()
      WHERE k.organization_id = $1 AND k.id = $2 RETURNING ${columns}`,
    [input.organizationId, input.id, hashApiKeySecret(secret), displayPrefixOf(secret)],
  );
  return { apiKey: toApiKey(result.rows[0]!), secret, previousSecretHash };
}

/** Records when keys were last used: one statement for many keys, never moving a key's `updated_at`. */
export async function recordKeysLastUsed(
  database: Queryable,
  uses: ReadonlyMap<string, Date>,
): Promise<void> {
  if (uses.size === 0) return;
  await database.query(
    `UPDATE api_keys AS k SET last_used_at = used.at
       FROM (SELECT unnest($1::text[]) AS id, unnest($2::timestamptz[]) AS at) used
      WHERE k.id = used.id AND (k.last_used_at IS NULL OR k.last_used_at < used.at)`,
    [[...uses.keys()], [...uses.values()]],
  );
}

export async function listApiKeys(
  database: Queryable,
  organizationId: string,
  options: { limit: number; after?: string; includeRevoked: boolean },
): Promise<ApiKey[]> {
  const result = await database.query<ApiKeyRow>(
    `SELECT ${columns} FROM api_keys k
      WHERE k.organization_id = $1 AND ($2::text IS NULL OR k.id > $2) AND ($3 OR k.revoked_at IS NULL)
      ORDER BY k.id LIMIT $4`,
    [organizationId, options.after ?? null, options.includeRevoked, options.limit],
  );
  return result.rows.map(toApiKey);
}

export async function findApiKey(
  database: Queryable,
  organizationId: string,
  id: string,
): Promise<ApiKey | null> {
  const result = await database.query<ApiKeyRow>(
    `SELECT ${columns} FROM api_keys k WHERE k.organization_id = $1 AND k.id = $2`,
    [organizationId, id],
  );
  return result.rows[0] ? toApiKey(result.rows[0]) : null;
}

/**
 * Revokes a key of the given organisation; null when there is no such key there. Returns every
 * secret hash that opened it (the current one and rotated-out ones), for cache invalidation.
 */
export async function revokeApiKey(
  database: Queryable,
  organizationId: string,
  id: string,
): Promise<{ apiKey: ApiKey; secretHashes: string[] } | null> {
  const result = await database.query<ApiKeyRow & { secret_hash: string }>(
    `UPDATE api_keys AS k SET revoked_at = coalesce(revoked_at, now()), updated_at = now()
      WHERE k.organization_id = $1 AND k.id = $2 RETURNING ${columns}, k.secret_hash`,
    [organizationId, id],
  );
  const row = result.rows[0];
  if (!row) return null;
  const retired = await database.query<{ secret_hash: string }>(
    'SELECT secret_hash FROM api_key_retired_secrets WHERE api_key_id = $1',
    [id],
  );
  return {
    apiKey: toApiKey(row),
    secretHashes: [row.secret_hash, ...retired.rows.map((entry) => entry.secret_hash)],
  };
}

/**
 * Secrets of keys changed since `since` (revoked, rotated, disabled organisation, membership
 * changed) — current and rotated-out ones — for cache invalidation by polling.
 */
export async function apiKeysChangedSince(
  database: Queryable,
  since: Date,
): Promise<{ changes: Array<{ id: string; secretHash: string }>; databaseNow: Date }> {
  const result = await database.query<{ id: string; secret_hash: string; database_now: Date }>(
    `SELECT k.id, k.secret_hash, now() AS database_now FROM api_keys k WHERE k.updated_at >= $1
     UNION ALL
     SELECT r.api_key_id, r.secret_hash, now() FROM api_key_retired_secrets r
       JOIN api_keys k ON k.id = r.api_key_id WHERE k.updated_at >= $1
     UNION ALL SELECT NULL, NULL, now()`,
    [since],
  );
  const databaseNow = result.rows[result.rows.length - 1]!.database_now;
  const changes = result.rows
    .filter((row) => row.id !== null)
    .map((row) => ({ id: row.id, secretHash: row.secret_hash }));
  return { changes, databaseNow };
}
