import type { Queryable } from '../../storage/db/index.ts';
import type { PlanRateLimits } from './plan-types.ts';

/** The jsonb keys of organizations.rate_limits and api_keys.rate_limits. */
const storedKeys = {
  requestsPerMinute: 'requests_per_minute',
  tokensPerMinute: 'tokens_per_minute',
  concurrentRequests: 'concurrent_requests',
} as const satisfies Record<keyof PlanRateLimits, string>;

/** A change to rate limits: a number sets a limit, null clears it, an absent field keeps it. */
export type RateLimitsChange = Partial<PlanRateLimits>;

type StoredRateLimits = Partial<Record<(typeof storedKeys)[keyof PlanRateLimits], number>>;

/** Stored jsonb → limits with nulls where none is set. */
export function readRateLimits(stored: StoredRateLimits | null | undefined): PlanRateLimits {
  const value = (key: keyof PlanRateLimits) => {
    const found = stored?.[storedKeys[key]];
    return typeof found === 'number' ? found : null;
  };
  return {
    requestsPerMinute: value('requestsPerMinute'),
    tokensPerMinute: value('tokensPerMinute'),
    concurrentRequests: value('concurrentRequests'),
  };
}

function splitChange(change: RateLimitsChange): { set: string; cleared: string[] } {
  const set: Record<string, number> = {};
  const cleared: string[] = [];
  for (const key of Object.keys(storedKeys) as Array<keyof PlanRateLimits>) {
    const value = change[key];
    if (value === null) cleared.push(storedKeys[key]);
    else if (value !== undefined) set[storedKeys[key]] = value;
  }
  return { set: JSON.stringify(set), cleared };
}

/**
 * The limits an organisation's requests run under: its own where set, else its plan's. A key's own
 * limits are a further, separate limit (both are checked), never a way around the organisation's.
 */
export function effectiveRateLimits(
  planLimits: PlanRateLimits | null,
  organizationLimits: PlanRateLimits,
): PlanRateLimits {
  return {
    requestsPerMinute: organizationLimits.requestsPerMinute ?? planLimits?.requestsPerMinute ?? null,
    tokensPerMinute: organizationLimits.tokensPerMinute ?? planLimits?.tokensPerMinute ?? null,
    concurrentRequests: organizationLimits.concurrentRequests ?? planLimits?.concurrentRequests ?? null,
  };
}

/** An organisation's own rate limits; null when there is no such organisation. */
export async function organizationRateLimits(
  database: Queryable,
  organizationId: string,
): Promise<PlanRateLimits | null> {
  const result = await database.query<{ rate_limits: StoredRateLimits }>(
    'SELECT rate_limits FROM organizations WHERE id = $1',
    [organizationId],
  );
  return result.rows[0] ? readRateLimits(result.rows[0].rate_limits) : null;
}

/**
 * Changes an organisation's own rate limits; run it in a transaction (the caller's). Its keys'
 * updated_at is touched too, so key caches (which carry limits to the hot path) drop them on every
 * replica; their secret hashes are returned for immediate invalidation. Null when there is no such
 * organisation.
 */
export async function changeOrganizationRateLimits(
  transaction: Queryable,
  organizationId: string,
  change: RateLimitsChange,
): Promise<{ rateLimits: PlanRateLimits; secretHashes: string[] } | null> {
  const { set, cleared } = splitChange(change);
  const result = await transaction.query<{ rate_limits: StoredRateLimits }>(
    `UPDATE organizations SET rate_limits = (rate_limits || $2::jsonb) - $3::text[], updated_at = now()
      WHERE id = $1 RETURNING rate_limits`,
    [organizationId, set, cleared],
  );
  if (!result.rows[0]) return null;
  const keys = await transaction.query<{ secret_hash: string }>(
    `UPDATE api_keys SET updated_at = now() WHERE organization_id = $1 AND revoked_at IS NULL
     RETURNING secret_hash`,
    [organizationId],
  );
  return {
    rateLimits: readRateLimits(result.rows[0].rate_limits),
    secretHashes: keys.rows.map((row) => row.secret_hash),
  };
}

/** A key's own rate limits; null when the organisation has no such key. */
export async function apiKeyRateLimits(
  database: Queryable,
  organizationId: string,
  keyId: string,
): Promise<PlanRateLimits | null> {
  const result = await database.query<{ rate_limits: StoredRateLimits }>(
    'SELECT rate_limits FROM api_keys WHERE organization_id = $1 AND id = $2',
    [organizationId, keyId],
  );
  return result.rows[0] ? readRateLimits(result.rows[0].rate_limits) : null;
}

/** Changes a key's own rate limits; null when the organisation has no such key. */
export async function changeApiKeyRateLimits(
  database: Queryable,
  organizationId: string,
  keyId: string,
  change: RateLimitsChange,
): Promise<{ rateLimits: PlanRateLimits; secretHash: string } | null> {
  const { set, cleared } = splitChange(change);
  const result = await database.query<{ rate_limits: StoredRateLimits; secret_hash: string }>(
    `UPDATE api_keys SET rate_limits = (rate_limits || $3::jsonb) - $4::text[], updated_at = now()
      WHERE organization_id = $1 AND id = $2 RETURNING rate_limits, secret_hash`,
    [organizationId, keyId, set, cleared],
  );
  const row = result.rows[0];
  return row ? { rateLimits: readRateLimits(row.rate_limits), secretHash: row.secret_hash } : null;
}

/** A team's rate limits; null when the organisation has no such team. */
export async function teamRateLimits(
  database: Queryable,
  organizationId: string,
  teamId: string,
): Promise<PlanRateLimits | null> {
  const result = await database.query<{ rate_limits: StoredRateLimits }>(
    'SELECT rate_limits FROM teams WHERE organization_id = $1 AND id = $2',
    [organizationId, teamId],
  );
  return result.rows[0] ? readRateLimits(result.rows[0].rate_limits) : null;
}

/**
 * Changes a team's rate limits; null when the organisation has no such team. Returns the secret
 * hashes of the team's keys (their cached callers carry the team's limits) after marking them changed.
 */
export async function changeTeamRateLimits(
  database: Queryable,
  organizationId: string,
  teamId: string,
  change: RateLimitsChange,
): Promise<{ rateLimits: PlanRateLimits; secretHashes: string[] } | null> {
  const { set, cleared } = splitChange(change);
  const result = await database.query<{ rate_limits: StoredRateLimits }>(
    `UPDATE teams SET rate_limits = (rate_limits || $3::jsonb) - $4::text[], updated_at = now()
      WHERE organization_id = $1 AND id = $2 RETURNING rate_limits`,
    [organizationId, teamId, set, cleared],
  );
  const row = result.rows[0];
  if (!row) return null;
  const keys = await database.query<{ secret_hash: string }>(
    'UPDATE api_keys SET updated_at = now() WHERE organization_id = $1 AND team_id = $2 RETURNING secret_hash',
    [organizationId, teamId],
  );
  return {
    rateLimits: readRateLimits(row.rate_limits),
    secretHashes: keys.rows.map((key) => key.secret_hash),
  };
}
