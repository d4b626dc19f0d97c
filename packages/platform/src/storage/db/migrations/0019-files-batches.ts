import type { Migration } from './migration.ts';

/**
 * Files (`POST /v1/files`) and batches (`POST /v1/batches`, `POST /v1/messages/batches`). A file
 * keeps its bytes in the row (`bytea`: the simplest durable store on PGlite and PostgreSQL alike;
 * `files.max_bytes` bounds it). A batch is one row; each of its requests is a `batch_lines` row
 * whose result is written before its job is acknowledged, so a restarted worker never runs a
 * finished line again. `format` says which wire format the batch speaks (OpenAI or Anthropic).
 * Every table is isolated by organisation (row-level security, as migration 17 set up).
 */
export const filesBatchesMigration: Migration = {
  version: 19,
  name: 'files-batches',
  sql: `
CREATE TABLE files (
  id text PRIMARY KEY,
  organization_id text NOT NULL REFERENCES organizations (id),
  api_key_id text NOT NULL,
  purpose text NOT NULL,
  filename text NOT NULL,
  bytes integer NOT NULL,
  content bytea NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz
);
CREATE INDEX files_organization_created_idx ON files (organization_id, created_at, id);
SELECT kimi_isolate_by_organization('files', 'organization_id');

CREATE TABLE batches (
  id text PRIMARY KEY,
  organization_id text NOT NULL REFERENCES organizations (id),
  api_key_id text NOT NULL,
  format text NOT NULL CHECK (format IN ('openai', 'anthropic')),
  endpoint text NOT NULL,
  input_file_id text,
  completion_window text NOT NULL,
  status text NOT NULL CHECK (status IN ('validating', 'failed', 'in_progress', 'finalizing', 'completed',
    'expired', 'cancelling', 'cancelled')),
  caller jsonb NOT NULL,
  metadata jsonb,
  errors jsonb,
  output_file_id text,
  error_file_id text,
  created_at timestamptz NOT NULL,
  in_progress_at timestamptz,
  expires_at timestamptz NOT NULL,
  finalizing_at timestamptz,
  completed_at timestamptz,
  failed_at timestamptz,
  expired_at timestamptz,
  cancelling_at timestamptz,
  cancelled_at timestamptz
);
CREATE INDEX batches_organization_created_idx ON batches (organization_id, created_at, id);
CREATE INDEX batches_live_idx ON batches (status) WHERE status IN ('in_progress', 'finalizing', 'cancelling');
SELECT kimi_isolate_by_organization('batches', 'organization_id');

CREATE TABLE batch_lines (
  batch_id text NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
  line_index integer NOT NULL,
  organization_id text NOT NULL REFERENCES organizations (id),
  custom_id text NOT NULL,
  request jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'running', 'succeeded', 'errored', 'canceled', 'expired')),
  claimed_at timestamptz,
  status_code integer,
  request_id text,
  model text,
  input_tokens integer NOT NULL DEFAULT 0,
  cached_tokens integer NOT NULL DEFAULT 0,
  output_tokens integer NOT NULL DEFAULT 0,
  result jsonb,
  finished_at timestamptz,
  PRIMARY KEY (batch_id, line_index)
);
CREATE INDEX batch_lines_unfinished_idx ON batch_lines (batch_id) WHERE status IN ('pending', 'running');
SELECT kimi_isolate_by_organization('batch_lines', 'organization_id');
`,
};
