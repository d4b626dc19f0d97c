import type { Migration } from './migration.ts';

/**
 * People and their memberships, teams (with their own budgets, limits and usage), invitations,
 * and scoped keys: the identity model. Keys of
 * the old `member` role become `developer` keys (the role with the same permissions); `admin` and
 * `platform_admin` keep their names. A key's secret can be rotated with an overlap: the old secret
 * stays valid in `api_key_retired_secrets` until its grace period ends.
 */
export const identityMigration: Migration = {
  version: 11,
  name: 'identity',
  sql: `
CREATE TABLE users (
  id text PRIMARY KEY,
  email text NOT NULL,
  name text,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_idx ON users (lower(email));

CREATE TABLE memberships (
  organization_id text NOT NULL REFERENCES organizations (id),
  user_id text NOT NULL REFERENCES users (id),
  role text NOT NULL CHECK (role IN ('owner', 'admin', 'developer', 'viewer', 'billing')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

CREATE TABLE teams (
  id text PRIMARY KEY,
  organization_id text NOT NULL REFERENCES organizations (id),
  name text NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  rate_limits jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, name)
);

CREATE TABLE team_members (
  team_id text NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  organization_id text NOT NULL REFERENCES organizations (id),
  user_id text NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_organization_idx ON team_members (organization_id, user_id);

CREATE TABLE invitations (
  id text PRIMARY KEY,
  organization_id text NOT NULL REFERENCES organizations (id),
  email text NOT NULL,
  role text NOT NULL CHECK (role IN ('owner', 'admin', 'developer', 'viewer', 'billing')),
  team_id text REFERENCES teams (id) ON DELETE SET NULL,
  token_hash text NOT NULL UNIQUE,
  invited_by text NOT NULL,
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  accepted_by text REFERENCES users (id),
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invitations_organization_idx ON invitations (organization_id, created_at);

ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check;
UPDATE api_keys SET role = 'developer', updated_at = now() WHERE role = 'member';
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check
  CHECK (role IN ('platform_admin', 'owner', 'admin', 'developer', 'viewer', 'billing'));
ALTER TABLE api_keys ADD COLUMN scopes text[];
ALTER TABLE api_keys ADD COLUMN user_id text REFERENCES users (id);
ALTER TABLE api_keys ADD COLUMN team_id text REFERENCES teams (id);
ALTER TABLE api_keys ADD COLUMN last_used_at timestamptz;
CREATE INDEX api_keys_user_idx ON api_keys (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX api_keys_team_idx ON api_keys (team_id) WHERE team_id IS NOT NULL;

CREATE TABLE api_key_retired_secrets (
  secret_hash text PRIMARY KEY,
  api_key_id text NOT NULL REFERENCES api_keys (id),
  organization_id text NOT NULL REFERENCES organizations (id),
  valid_until timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_key_retired_secrets_key_idx ON api_key_retired_secrets (api_key_id);

ALTER TABLE usage_records ADD COLUMN team_id text;
CREATE INDEX usage_records_team_time_idx ON usage_records (organization_id, team_id, created_at)
  WHERE team_id IS NOT NULL;
ALTER TABLE budgets DROP CONSTRAINT budgets_scope_check;
ALTER TABLE budgets ADD CONSTRAINT budgets_scope_check
  CHECK (scope IN ('organization', 'api_key', 'end_user', 'team'));
`,
};
