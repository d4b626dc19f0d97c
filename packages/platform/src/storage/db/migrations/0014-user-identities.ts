import type { Migration } from './migration.ts';

/**
 * Linked identities: a person signed in through an organisation's identity provider is the pair
 * (issuer, subject), never an email; `user_identities` links that pair to one user, and keeps the
 * organisation whose connection first linked it. `browser_sessions.user_id` now references users
 * (phase 1 created sessions before users were tied in; rows without a user are dropped first).
 * The audit log gains the `workload` actor: a service calling with its identity provider's token.
 */
export const userIdentitiesMigration: Migration = {
  version: 14,
  name: 'user-identities',
  sql: `
CREATE TABLE user_identities (
  issuer text NOT NULL,
  subject text NOT NULL,
  user_id text NOT NULL REFERENCES users (id),
  organization_id text NOT NULL REFERENCES organizations (id),
  email text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_signed_in_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (issuer, subject)
);
CREATE INDEX user_identities_user_idx ON user_identities (user_id);

DELETE FROM browser_sessions s WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = s.user_id);
ALTER TABLE browser_sessions ADD CONSTRAINT browser_sessions_user_id_fkey
  FOREIGN KEY (user_id) REFERENCES users (id);

ALTER TABLE audit_log DROP CONSTRAINT audit_log_actor_type_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_actor_type_check
  CHECK (actor_type IN ('api_key', 'user', 'workload', 'system'));
`,
};
