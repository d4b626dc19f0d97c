import type { Migration } from './migration.ts';

/**
 * An organisation's opt-in to prompt and completion text on its trace spans (off: spans carry
 * sizes, models and costs, never text). `organizations` is already isolated by row-level security.
 */
export const traceContentMigration: Migration = {
  version: 27,
  name: 'trace-content',
  sql: `
ALTER TABLE organizations ADD COLUMN trace_content boolean NOT NULL DEFAULT false;
`,
};
