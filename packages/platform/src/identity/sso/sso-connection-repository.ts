import type { Queryable } from '../../storage/db/index.ts';
import type { SecretBox } from '../../support/index.ts';
import { isMembershipRole, type MembershipRole } from './membership-roles.ts';
import type { SsoConnectionSource } from './sign-in-ports.ts';
import type {
  ParsedSsoConnection,
  SsoConnection,
  SsoConnectionSettings,
  TokenEndpointAuthMethod,
} from './sso-connection-schema.ts';
import { ssoErrors } from './sso-errors.ts';

/** What the API may show of a connection: its settings and the last four characters of the secret. */
export interface SsoConnectionSummary extends SsoConnectionSettings {
  organizationId: string;
  clientSecretSuffix: string;
  createdAt: Date;
  updatedAt: Date;
}

interface ConnectionRow {
  organization_id: string;
  issuer: string;
  client_id: string;
  sealed_client_secret: string;
  client_secret_suffix: string;
  redirect_uri: string;
  scopes: string[];
  token_endpoint_auth_method: string;
  groups_claim: string;
  email_claim: string;
  role_mapping: Record<string, unknown>;
  default_role: string | null;
  require_sso: boolean;
  bearer_audiences: string[];
  created_at: Date;
  updated_at: Date;
}

const columns = `organization_id, issuer, client_id, sealed_client_secret, client_secret_suffix, redirect_uri,
  scopes, token_endpoint_auth_method, groups_claim, email_claim, role_mapping, default_role, require_sso,
  bearer_audiences, created_at, updated_at`;

function associatedData(organizationId: string): string {
  return `sso_connections/${organizationId}/client_secret`;
}

function roleMappingOf(stored: Record<string, unknown>): Record<string, MembershipRole> {
  const mapping: Record<string, MembershipRole> = {};
  for (const [value, role] of Object.entries(stored)) if (isMembershipRole(role)) mapping[value] = role;
  return mapping;
}

function summaryOf(row: ConnectionRow): SsoConnectionSummary {
  return {
    organizationId: row.organization_id,
    issuer: row.issuer,
    clientId: row.client_id,
    redirectUri: row.redirect_uri,
    scopes: row.scopes,
    tokenEndpointAuthMethod: row.token_endpoint_auth_method as TokenEndpointAuthMethod,
    groupsClaim: row.groups_claim,
    emailClaim: row.email_claim,
    roleMapping: roleMappingOf(row.role_mapping),
    defaultRole: isMembershipRole(row.default_role) ? row.default_role : null,
    requireSso: row.require_sso,
    bearerAudiences: row.bearer_audiences,
    clientSecretSuffix: row.client_secret_suffix,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function connectionOf(row: ConnectionRow, secretBox: SecretBox): SsoConnection {
  const { clientSecretSuffix: _suffix, createdAt: _created, ...settings } = summaryOf(row);
  return {
    ...settings,
    clientSecret: secretBox.open(row.sealed_client_secret, associatedData(row.organization_id)),
  };
}

/**
 * Creates or replaces the organisation's connection; its client secret is sealed under the master
 * key. On a replacement without a secret, the stored secret is kept; a new connection needs one.
 */
export async function saveSsoConnection(
  database: Queryable,
  secretBox: SecretBox,
  organizationId: string,
  parsed: ParsedSsoConnection,
  now: Date,
): Promise<SsoConnectionSummary> {
  const { settings, clientSecret } = parsed;
  const values = [
    organizationId,
    settings.issuer,
    settings.clientId,
    settings.redirectUri,
    [...settings.scopes],
    settings.tokenEndpointAuthMethod,
    settings.groupsClaim,
    settings.emailClaim,
    JSON.stringify(settings.roleMapping),
    settings.defaultRole,
    settings.requireSso,
    [...settings.bearerAudiences],
    now,
  ];
  if (clientSecret === null) {
    const updated = await database.query<ConnectionRow>(
      `UPDATE sso_connections SET issuer = $2, client_id = $3, redirect_uri = $4, scopes = $5,
         token_endpoint_auth_method = $6, groups_claim = $7, email_claim = $8, role_mapping = $9::jsonb,
         default_role = $10, require_sso = $11, bearer_audiences = $12, updated_at = $13
       WHERE organization_id = $1 RETURNING ${columns}`,
      values,
    );
    if (updated.rows.length === 0) throw ssoErrors.clientSecretRequired();
    return summaryOf(updated.rows[0] as ConnectionRow);
  }
  const sealed = secretBox.seal(clientSecret, associatedData(organizationId));
  const saved = await database.query<ConnectionRow>(
    `INSERT INTO sso_connections (organization_id, issuer, client_id, redirect_uri, scopes, token_endpoint_auth_method,
       groups_claim, email_claim, role_mapping, default_role, require_sso, bearer_audiences, created_at, updated_at,
       sealed_client_secret, client_secret_suffix)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13, $13, $14, $15)
     ON CONFLICT (organization_id) DO UPDATE SET issuer = excluded.issuer, client_id = excluded.client_id,
       redirect_uri = excluded.redirect_uri, scopes = excluded.scopes,
       token_endpoint_auth_method = excluded.token_endpoint_auth_method, groups_claim = excluded.groups_claim,
       email_claim = excluded.email_claim, role_mapping = excluded.role_mapping, default_role = excluded.default_role,
       require_sso = excluded.require_sso, bearer_audiences = excluded.bearer_audiences,
       updated_at = excluded.updated_at, sealed_client_secret = excluded.sealed_client_secret,
       client_secret_suffix = excluded.client_secret_suffix
     RETURNING ${columns}`,
    [...values, sealed, clientSecret.slice(-4)],
  );
  return summaryOf(saved.rows[0] as ConnectionRow);
}

export async function findSsoConnectionSummary(
  database: Queryable,
  organizationId: string,
): Promise<SsoConnectionSummary | null> {
  const result = await database.query<ConnectionRow>(
    `SELECT ${columns} FROM sso_connections WHERE organization_id = $1`,
    [organizationId],
  );
  const row = result.rows[0];
  return row ? summaryOf(row) : null;
}

/** Removes the organisation's connection; false when it had none. */
export async function deleteSsoConnection(database: Queryable, organizationId: string): Promise<boolean> {
  const result = await database.query('DELETE FROM sso_connections WHERE organization_id = $1', [
    organizationId,
  ]);
  return result.rowCount > 0;
}

/** The connections as the protocol code reads them, secrets opened. */
export function createSqlSsoConnectionSource(database: Queryable, secretBox: SecretBox): SsoConnectionSource {
  return {
    async find(organizationId) {
      const result = await database.query<ConnectionRow>(
        `SELECT ${columns} FROM sso_connections WHERE organization_id = $1`,
        [organizationId],
      );
      const row = result.rows[0];
      return row ? connectionOf(row, secretBox) : null;
    },
    async findByIssuer(issuer) {
      // platform scope: a bearer token names its issuer, not an organisation; this finds which.
      const result = await database.query<ConnectionRow>(
        `SELECT ${columns} FROM sso_connections WHERE issuer = $1 ORDER BY organization_id LIMIT 100`,
        [issuer],
      );
      return result.rows.map((row) => connectionOf(row, secretBox));
    },
  };
}
