import type { Queryable } from '../storage/db/index.ts';
import { newOrganizationId } from './identifiers.ts';

export interface Organization {
  id: string;
  name: string;
  metadata: Record<string, unknown>;
  createdAt: Date;
  disabledAt: Date | null;
  /** The plan whose quotas, limits and models apply; null for none. */
  planId: string | null;
}

interface OrganizationRow {
  id: string;
  name: string;
  metadata: Record<string, unknown>;
  created_at: Date;
  disabled_at: Date | null;
  plan_id: string | null;
}

const columns = 'id, name, metadata, created_at, disabled_at, plan_id';

function toOrganization(row: OrganizationRow): Organization {
  return {
    id: row.id,
    name: row.name,
    metadata: row.metadata,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
    planId: row.plan_id,
  };
}

export async function createOrganization(
  database: Queryable,
  input: { name: string; metadata?: Record<string, unknown>; planId?: string | null },
): Promise<Organization> {
  const result = await database.query<OrganizationRow>(
    `INSERT INTO organizations (id, name, metadata, plan_id) VALUES ($1, $2, $3::jsonb, $4) RETURNING ${columns}`,
    [newOrganizationId(), input.name, JSON.stringify(input.metadata ?? {}), input.planId ?? null],
  );
  return toOrganization(result.rows[0]!);
}

export async function findOrganization(database: Queryable, id: string): Promise<Organization | null> {
  const result = await database.query<OrganizationRow>(`SELECT ${columns} FROM organizations WHERE id = $1`, [
    id,
  ]);
  return result.rows[0] ? toOrganization(result.rows[0]) : null;
}

/** Newest first, keyset-paginated by id for stable pages. */
export async function listOrganizations(
  database: Queryable,
  options: { limit: number; after?: string },
): Promise<Organization[]> {
  const result = await database.query<OrganizationRow>(
    `SELECT ${columns} FROM organizations WHERE ($1::text IS NULL OR id > $1) ORDER BY id LIMIT $2`,
    [options.after ?? null, options.limit],
  );
  return result.rows.map(toOrganization);
}

export async function countOrganizations(database: Queryable): Promise<number> {
  const result = await database.query<{ count: number }>('SELECT count(*)::int8 AS count FROM organizations');
  return result.rows[0]?.count ?? 0;
}

/**
 * Disabling an organisation also revokes its keys, in the same transaction, so no key of a
 * disabled organisation can authenticate anywhere after the invalidation reaches every instance.
 */
export async function disableOrganization(
  database: Queryable,
  id: string,
): Promise<{ organization: Organization; revokedSecretHashes: string[] } | null> {
  const result = await database.query<OrganizationRow>(
    `UPDATE organizations SET disabled_at = coalesce(disabled_at, now()), updated_at = now()
      WHERE id = $1 RETURNING ${columns}`,
    [id],
  );
  if (!result.rows[0]) return null;
  const revoked = await database.query<{ secret_hash: string }>(
    `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()), updated_at = now()
      WHERE organization_id = $1 RETURNING secret_hash`,
    [id],
  );
  const retired = await database.query<{ secret_hash: string }>(
    'SELECT secret_hash FROM api_key_retired_secrets WHERE organization_id = $1',
    [id],
  );
  return {
    organization: toOrganization(result.rows[0]),
    revokedSecretHashes: [...revoked.rows, ...retired.rows].map((row) => row.secret_hash),
  };
}

/** What authenticating a caller of an organisation needs of it, besides the credential. */
export interface OrganizationAccess {
  disabled: boolean;
  planId: string | null;
  rateLimits: Record<string, unknown>;
}

/** The organisation's state for a caller authenticated without an API key (a session, a workload). */
export async function findOrganizationAccess(
  database: Queryable,
  id: string,
): Promise<OrganizationAccess | null> {
  const result = await database.query<{
    disabled_at: Date | null;
    plan_id: string | null;
    rate_limits: Record<string, unknown> | null;
  }>('SELECT disabled_at, plan_id, rate_limits FROM organizations WHERE id = $1', [id]);
  const row = result.rows[0];
  if (!row) return null;
  return { disabled: row.disabled_at !== null, planId: row.plan_id, rateLimits: row.rate_limits ?? {} };
}
