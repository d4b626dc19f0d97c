import type { Migration } from './migration.ts';

/**
 * Background responses and the Conversations API. A background response is a `responses` row
 * from the moment it is queued: it carries the request body, the creating caller and the call's
 * options (the job carries only the response id), and a lease its runner renews, so a response
 * whose runner died is picked up again. `response_events` keeps every event of a background
 * response by sequence number, so `GET /v1/responses/{id}?stream=true&starting_after=N` resumes.
 * `conversations` and `conversation_items` hold OpenAI's conversation objects; `position` orders
 * the items. Version 19 belongs to another change; versions only need to increase.
 */
export const responsesBackgroundConversationsMigration: Migration = {
  version: 20,
  name: 'responses-background-conversations',
  sql: `
ALTER TABLE responses DROP CONSTRAINT IF EXISTS responses_status_check;
ALTER TABLE responses ADD CONSTRAINT responses_status_check
  CHECK (status IN ('queued', 'in_progress', 'completed', 'incomplete', 'failed', 'cancelled'));
ALTER TABLE responses ADD COLUMN background boolean NOT NULL DEFAULT false;
ALTER TABLE responses ADD COLUMN body jsonb;
ALTER TABLE responses ADD COLUMN caller jsonb;
ALTER TABLE responses ADD COLUMN call_options jsonb;
ALTER TABLE responses ADD COLUMN lease_expires_at timestamptz;
ALTER TABLE responses ADD COLUMN conversation_id text;
CREATE INDEX responses_background_live_idx ON responses (status, lease_expires_at)
  WHERE background AND status IN ('queued', 'in_progress');

CREATE TABLE response_events (
  response_id text NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
  sequence_number integer NOT NULL,
  organization_id text NOT NULL REFERENCES organizations (id),
  event jsonb NOT NULL,
  PRIMARY KEY (response_id, sequence_number)
);
SELECT kimi_isolate_by_organization('response_events', 'organization_id');

CREATE TABLE conversations (
  id text PRIMARY KEY,
  organization_id text NOT NULL REFERENCES organizations (id),
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL
);
CREATE INDEX conversations_organization_idx ON conversations (organization_id, created_at);
SELECT kimi_isolate_by_organization('conversations', 'organization_id');

CREATE TABLE conversation_items (
  conversation_id text NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  id text NOT NULL,
  organization_id text NOT NULL REFERENCES organizations (id),
  position bigint GENERATED ALWAYS AS IDENTITY,
  item jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (conversation_id, id)
);
CREATE INDEX conversation_items_position_idx ON conversation_items (conversation_id, position);
SELECT kimi_isolate_by_organization('conversation_items', 'organization_id');
`,
};
