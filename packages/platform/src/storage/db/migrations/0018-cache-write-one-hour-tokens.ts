import type { Migration } from './migration.ts';

/** The one-hour share of the prompt-cache writes, which Anthropic bills at 2× input (5-minute: 1.25×). */
export const cacheWriteOneHourTokensMigration: Migration = {
  version: 18,
  name: 'cache-write-one-hour-tokens',
  sql: 'ALTER TABLE usage_records ADD COLUMN cache_write_1h_tokens integer NOT NULL DEFAULT 0;',
};
