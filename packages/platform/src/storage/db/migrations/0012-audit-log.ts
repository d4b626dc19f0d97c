import type { Migration } from './migration.ts';

/**
 * The audit log: append-only and hash-chained. One chain per organisation acted on (`chain_key` is
 * its id) and one platform chain (`chain_key` 'platform') for entries about no organisation, each
 * numbered by `sequence` from 1. `hash` is the SHA-256 of the entry's canonical encoding, which
 * includes `previous_hash` (null only for an entry that starts its chain), so an entry changed in
 * place no longer matches its hash. Ids come from a sequence fetched before the insert because the
 * id is part of what is hashed. A statement trigger refuses UPDATE, DELETE and TRUNCATE, even in
 * replica mode (ENABLE ALWAYS); revoking the platform role's grants comes with row-level security.
 */
export const auditLogMigration: Migration = {
  version: 12,
  name: 'audit-log',
  sql: `
CREATE SEQUENCE audit_log_id_seq AS bigint;

CREATE TABLE audit_log (
  id bigint PRIMARY KEY,
  chain_key text NOT NULL,
  sequence bigint NOT NULL CHECK (sequence > 0),
  created_at timestamptz NOT NULL,
  actor_type text NOT NULL CHECK (actor_type IN ('api_key', 'user', 'system')),
  actor_id text,
  actor_organization_id text,
  -- The organisation acted on; null for platform-wide changes (plans). No foreign key: the log
  -- outlives what it describes.
  organization_id text,
  action text NOT NULL CHECK (action ~ '^[a-z][a-z_]*(\\.[a-z][a-z_]*)+$'),
  target_type text NOT NULL,
  target_id text NOT NULL,
  before jsonb,
  after jsonb,
  client_address text,
  request_id text,
  previous_hash text CHECK (previous_hash ~ '^[0-9a-f]{64}$'),
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  UNIQUE (chain_key, sequence),
  CHECK ((sequence = 1) = (previous_hash IS NULL)),
  CHECK (chain_key = coalesce(organization_id, 'platform'))
);

ALTER SEQUENCE audit_log_id_seq OWNED BY audit_log.id;

CREATE INDEX audit_log_organization_id ON audit_log (organization_id, id);

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Audit entries are only ever inserted; correct a mistake with a new entry.';
END;
$$;

CREATE TRIGGER audit_log_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_append_only;
`,
};
