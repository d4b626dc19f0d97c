import type { Migration } from './migration.ts';

/** Organisations, API keys and the usage ledger: what the gateway core needs. */
export const initialMigration: Migration = {
  version: 1,
  name: 'initial',
  sql: `
CREATE TABLE organizations (
  id text PRIMARY KEY,
  name text NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);

CREATE TABLE api_keys (
  id text PRIMARY KEY,
  organization_id text NOT NULL REFERENCES organizations (id),
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('platform_admin', 'admin', 'member')),
  display_prefix text NOT NULL,
  secret_hash text NOT NULL UNIQUE,
  allowed_models text[],
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  expires_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_keys_organization_idx ON api_keys (organization_id);
CREATE INDEX api_keys_updated_idx ON api_keys (updated_at);

CREATE TABLE usage_records (
  request_id text PRIMARY KEY,
  organization_id text NOT NULL,
  api_key_id text,
  end_user text,
  endpoint text NOT NULL,
  requested_model text,
  provider text,
  deployment text,
  served_model text,
  prompt_tokens integer NOT NULL DEFAULT 0,
  completion_tokens integer NOT NULL DEFAULT 0,
  cached_tokens integer NOT NULL DEFAULT 0,
  cost_usd numeric(24, 12) NOT NULL DEFAULT 0,
  price_version text,
  usage_source text NOT NULL DEFAULT 'none' CHECK (usage_source IN ('provider', 'tokenizer', 'none')),
  latency_ms double precision NOT NULL,
  time_to_first_token_ms double precision,
  streamed boolean NOT NULL DEFAULT false,
  status integer NOT NULL,
  error_code text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX usage_records_organization_time_idx ON usage_records (organization_id, created_at);
`,
};
