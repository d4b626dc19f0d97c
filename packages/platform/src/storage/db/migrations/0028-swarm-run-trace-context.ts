import type { Migration } from './migration.ts';

/**
 * The W3C trace context (`traceparent`, `tracestate`) of the request that created a swarm run, so
 * every job that (re)queues the run — the first, an approval, the orphan sweep after a worker
 * died — continues that one trace. `swarm_runs` is already isolated by row-level security.
 */
export const swarmRunTraceContextMigration: Migration = {
  version: 28,
  name: 'swarm-run-trace-context',
  sql: `
ALTER TABLE swarm_runs ADD COLUMN trace_context jsonb;
`,
};
