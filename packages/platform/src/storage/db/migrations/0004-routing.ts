import type { Migration } from './migration.ts';

/** How each request was routed: the group it resolved to, provider calls made, and why it fell back. */
export const routingMigration: Migration = {
  version: 4,
  name: 'routing',
  sql: `
ALTER TABLE usage_records ADD COLUMN model_group text;
ALTER TABLE usage_records ADD COLUMN attempts integer NOT NULL DEFAULT 0;
ALTER TABLE usage_records ADD COLUMN fallback_reason text;
`,
};
