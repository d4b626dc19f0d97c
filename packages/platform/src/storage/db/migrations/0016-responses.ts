import type { Migration } from './migration.ts';

/**
 * Stored Responses (`POST /v1/responses` with `store`): each row is one response of one
 * organisation, with the parameters it echoes, its own input items and its output items, so
 * `previous_response_id` rebuilds a conversation on any model. `expires_at` is the retention
 * (`responses.retention_days`): an expired row is never read and is swept. There is no version 15
 * (it was reserved and not needed); versions only need to increase. Row-level security for this
 * table comes from migration 17, which isolates every table with an `organization_id`.
 */
export const responsesMigration: Migration = {
  version: 16,
  name: 'responses',
  sql: `
CREATE TABLE responses (
  id text PRIMARY KEY,
  organization_id text NOT NULL REFERENCES organizations (id),
  api_key_id text NOT NULL,
  model text NOT NULL,
  status text NOT NULL CHECK (status IN ('completed', 'incomplete', 'failed')),
  previous_response_id text,
  request jsonb NOT NULL,
  input_items jsonb NOT NULL,
  output jsonb NOT NULL,
  usage jsonb,
  error jsonb,
  incomplete_details jsonb,
  created_at timestamptz NOT NULL,
  completed_at timestamptz,
  expires_at timestamptz NOT NULL
);
CREATE INDEX responses_organization_created_idx ON responses (organization_id, created_at);
CREATE INDEX responses_expires_idx ON responses (expires_at);
`,
};
