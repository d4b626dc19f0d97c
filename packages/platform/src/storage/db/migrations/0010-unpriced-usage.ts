import type { Migration } from './migration.ts';

/**
 * Usage served by a model without a price is recorded at zero cost; this flag tells that zero apart
 * from a free model's, so reports and budgets can show what was never charged.
 */
export const unpricedUsageMigration: Migration = {
  version: 10,
  name: 'unpriced-usage',
  sql: 'ALTER TABLE usage_records ADD COLUMN unpriced boolean NOT NULL DEFAULT false;',
};
