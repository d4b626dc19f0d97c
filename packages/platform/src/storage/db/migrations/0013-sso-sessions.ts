import type { Migration } from './migration.ts';

/**
 * Single sign-on and browser sessions. `sso_connections`: one OpenID Connect connection per
 * organisation, its client secret sealed with AES-256-GCM. `browser_sessions`: a signed-in browser,
 * which is also the family of its refresh tokens; `session_refresh_tokens`: every refresh token
 * the session was issued, stored only as its SHA-256, marked when rotated so a second use is seen
 * (reuse revokes the family). Times come from the platform's clock, not now(), so they agree with
 * the tokens' expiry. `user_id` has no foreign key yet: users arrive with the identity migration.
 */
export const ssoSessionsMigration: Migration = {
  version: 13,
  name: 'sso-sessions',
  sql: `
CREATE TABLE sso_connections (
  organization_id text PRIMARY KEY REFERENCES organizations (id),
  issuer text NOT NULL,
  client_id text NOT NULL,
  sealed_client_secret text NOT NULL,
  client_secret_suffix text NOT NULL,
  redirect_uri text NOT NULL,
  scopes text[] NOT NULL,
  token_endpoint_auth_method text NOT NULL,
  groups_claim text NOT NULL,
  email_claim text NOT NULL,
  role_mapping jsonb NOT NULL DEFAULT '{}',
  default_role text,
  require_sso boolean NOT NULL DEFAULT false,
  bearer_audiences text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX sso_connections_issuer_idx ON sso_connections (issuer);

CREATE TABLE browser_sessions (
  id text PRIMARY KEY,
  organization_id text NOT NULL REFERENCES organizations (id),
  user_id text NOT NULL,
  role text NOT NULL,
  created_at timestamptz NOT NULL,
  refreshed_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_reason text
);
CREATE INDEX browser_sessions_user_idx ON browser_sessions (organization_id, user_id) WHERE revoked_at IS NULL;
CREATE INDEX browser_sessions_expires_idx ON browser_sessions (expires_at);

CREATE TABLE session_refresh_tokens (
  token_hash text PRIMARY KEY,
  session_id text NOT NULL REFERENCES browser_sessions (id) ON DELETE CASCADE,
  organization_id text NOT NULL REFERENCES organizations (id),
  issued_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  rotated_at timestamptz
);
CREATE INDEX session_refresh_tokens_session_idx ON session_refresh_tokens (session_id);
`,
};
