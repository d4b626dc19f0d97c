import type { Migration } from './migration.ts';

/**
 * Response caching: which layer answered each request and the cost it saved, cache policies per
 * organisation and key, and the semantic cache's entries. Embeddings are stored as real[] so the
 * schema works everywhere; where pgvector is available the semantic store adds a `vector` column
 * at start-up and searches with it, and otherwise compares the real[] exactly.
 */
export const cacheMigration: Migration = {
  version: 6,
  name: 'cache',
  sql: `
ALTER TABLE usage_records ADD COLUMN cache_status text;
ALTER TABLE usage_records ADD COLUMN cache_saved_usd numeric(24, 12) NOT NULL DEFAULT 0;

CREATE TABLE cache_policies (
  organization_id text NOT NULL REFERENCES organizations (id),
  -- '' for the organisation's own policy, else the key it applies to.
  api_key_id text NOT NULL DEFAULT '',
  enabled boolean,
  ttl_seconds integer CHECK (ttl_seconds IS NULL OR ttl_seconds > 0),
  cache_nonzero_temperature boolean,
  semantic_enabled boolean,
  similarity_threshold double precision
    CHECK (similarity_threshold IS NULL OR (similarity_threshold >= 0.5 AND similarity_threshold <= 1)),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, api_key_id)
);
CREATE INDEX cache_policies_updated_idx ON cache_policies (updated_at);

CREATE TABLE semantic_cache_entries (
  id bigserial PRIMARY KEY,
  organization_id text NOT NULL,
  scope_hash text NOT NULL,
  key_hash text NOT NULL,
  embedding real[] NOT NULL,
  answer text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX semantic_cache_scope_idx ON semantic_cache_entries (organization_id, scope_hash, created_at DESC);
CREATE INDEX semantic_cache_expiry_idx ON semantic_cache_entries (expires_at);
`,
};
