import type { Queryable } from '../../../storage/db/index.ts';

/** The hosts, addresses and networks an organisation's tools may reach although not public. */
export async function readNetworkAllowlist(
  database: Queryable,
  organizationId: string,
): Promise<string[] | null> {
  const result = await database.query<{ tool_network_allowlist: string[] }>(
    'SELECT tool_network_allowlist FROM organizations WHERE id = $1',
    [organizationId],
  );
  return result.rows[0]?.tool_network_allowlist ?? null;
}

/** Replaces the allowlist; false when the organisation does not exist. */
export async function writeNetworkAllowlist(
  database: Queryable,
  organizationId: string,
  entries: readonly string[],
): Promise<boolean> {
  const result = await database.query(
    'UPDATE organizations SET tool_network_allowlist = $2::text[], updated_at = now() WHERE id = $1',
    [organizationId, [...entries]],
  );
  return result.rowCount > 0;
}
