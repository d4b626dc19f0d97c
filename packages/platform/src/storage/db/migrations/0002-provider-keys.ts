import type { Migration } from './migration.ts';

/** Per-organisation provider credentials, sealed with AES-256-GCM (the plaintext never reaches the store). */
export const providerKeysMigration: Migration = {
  version: 2,
  name: 'provider-keys',
  sql: `
CREATE TABLE organization_provider_keys (
  organization_id text NOT NULL REFERENCES organizations (id),
  provider text NOT NULL,
  sealed_api_key text NOT NULL,
  key_suffix text NOT NULL,
  base_url text,
  -- A deleted key is wiped and marked, not removed, so other instances' polls see the deletion.
  deleted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, provider)
);
CREATE INDEX organization_provider_keys_updated_idx ON organization_provider_keys (updated_at);
`,
};
