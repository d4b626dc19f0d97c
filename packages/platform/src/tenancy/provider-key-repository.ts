import type { CallCredentials } from '../model/index.ts';
import type { Queryable } from '../storage/db/index.ts';
import type { SecretBox } from '../support/index.ts';

/** What the API shows of a stored provider key: never the key, only its last four characters. */
export interface ProviderKeySummary {
  provider: string;
  keySuffix: string;
  baseUrl: string | null;
  createdAt: Date;
  updatedAt: Date;
}

interface ProviderKeyRow {
  provider: string;
  key_suffix: string;
  base_url: string | null;
  created_at: Date;
  updated_at: Date;
}

function associatedData(organizationId: string, provider: string): string {
  return `organization_provider_keys/${organizationId}/${provider}`;
}

function toSummary(row: ProviderKeyRow): ProviderKeySummary {
  return {
    provider: row.provider,
    keySuffix: row.key_suffix,
    baseUrl: row.base_url,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const summaryColumns = 'provider, key_suffix, base_url, created_at, updated_at';

/** Stores (or replaces) an organisation's key for a provider, sealed under the master key. */
export async function putProviderKey(
  database: Queryable,
  secretBox: SecretBox,
  input: { organizationId: string; provider: string; apiKey: string; baseUrl: string | null },
): Promise<ProviderKeySummary> {
  const sealed = secretBox.seal(input.apiKey, associatedData(input.organizationId, input.provider));
  const result = await database.query<ProviderKeyRow>(
    `INSERT INTO organization_provider_keys (organization_id, provider, sealed_api_key, key_suffix, base_url)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (organization_id, provider) DO UPDATE
       SET sealed_api_key = excluded.sealed_api_key, key_suffix = excluded.key_suffix,
           base_url = excluded.base_url, deleted_at = NULL, updated_at = now()
     RETURNING ${summaryColumns}`,
    [input.organizationId, input.provider, sealed, input.apiKey.slice(-4), input.baseUrl],
  );
  return toSummary(result.rows[0]!);
}

export async function listProviderKeys(
  database: Queryable,
  organizationId: string,
): Promise<ProviderKeySummary[]> {
  const result = await database.query<ProviderKeyRow>(
    `SELECT ${summaryColumns} FROM organization_provider_keys
      WHERE organization_id = $1 AND deleted_at IS NULL ORDER BY provider`,
    [organizationId],
  );
  return result.rows.map(toSummary);
}

/** Wipes the sealed key and marks the row deleted; false when there was no live key. */
export async function deleteProviderKey(
  database: Queryable,
  organizationId: string,
  provider: string,
): Promise<boolean> {
  const result = await database.query(
    `UPDATE organization_provider_keys SET sealed_api_key = '', key_suffix = '', deleted_at = now(), updated_at = now()
      WHERE organization_id = $1 AND provider = $2 AND deleted_at IS NULL`,
    [organizationId, provider],
  );
  return result.rowCount > 0;
}

/** Opens every provider key of an organisation, for the credential cache. */
export async function loadProviderCredentials(
  database: Queryable,
  secretBox: SecretBox,
  organizationId: string,
): Promise<Map<string, CallCredentials>> {
  const result = await database.query<{ provider: string; sealed_api_key: string; base_url: string | null }>(
    `SELECT provider, sealed_api_key, base_url FROM organization_provider_keys
      WHERE organization_id = $1 AND deleted_at IS NULL`,
    [organizationId],
  );
  const credentials = new Map<string, CallCredentials>();
  for (const row of result.rows) {
    credentials.set(row.provider, {
      apiKey: secretBox.open(row.sealed_api_key, associatedData(organizationId, row.provider)),
      ...(row.base_url ? { baseUrl: row.base_url } : {}),
    });
  }
  return credentials;
}

/** Organisations whose provider keys changed (set, replaced or deleted) since `since`. */
export async function providerKeysChangedSince(
  database: Queryable,
  since: Date,
): Promise<{ changed: string[]; databaseNow: Date }> {
  const result = await database.query<{ organization_id: string | null; database_now: Date }>(
    `SELECT DISTINCT organization_id, now() AS database_now FROM organization_provider_keys WHERE updated_at >= $1
     UNION ALL SELECT NULL, now()`,
    [since],
  );
  const databaseNow = result.rows[result.rows.length - 1]!.database_now;
  return {
    changed: result.rows.flatMap((row) => (row.organization_id === null ? [] : [row.organization_id])),
    databaseNow,
  };
}
