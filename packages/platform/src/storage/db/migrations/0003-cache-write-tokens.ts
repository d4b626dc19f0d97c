import type { Migration } from './migration.ts';

/** Prompt tokens written to a provider's prompt cache, billed at their own price (Anthropic: 1.25× input). */
export const cacheWriteTokensMigration: Migration = {
  version: 3,
  name: 'cache-write-tokens',
  sql: 'ALTER TABLE usage_records ADD COLUMN cache_write_tokens integer NOT NULL DEFAULT 0;',
};
