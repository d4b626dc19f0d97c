import type { Migration } from './migration.ts';

/**
 * A plan's cap on agents per swarm run. Start-up seeding writes the built-in tiers' values; plans
 * changed through the API keep theirs (null: no cap beyond the platform's).
 */
export const planAgentsMigration: Migration = {
  version: 9,
  name: 'plan-agents',
  sql: 'ALTER TABLE plans ADD COLUMN max_agents_per_run integer CHECK (max_agents_per_run IS NULL OR max_agents_per_run > 0);',
};
