import type { Migration } from './migration.ts';

/** The sums a rollup row holds: what GET /v1/usage reports, over the records of one bucket and group. */
const rollupColumns = `
  requests int8 NOT NULL,
  failed_requests int8 NOT NULL,
  prompt_tokens int8 NOT NULL,
  completion_tokens int8 NOT NULL,
  cached_tokens int8 NOT NULL,
  cache_write_tokens int8 NOT NULL,
  cache_write_1h_tokens int8 NOT NULL,
  cost_usd numeric(30, 12) NOT NULL,
  cache_hits int8 NOT NULL,
  cache_saved_usd numeric(30, 12) NOT NULL,
  unpriced_requests int8 NOT NULL`;

const rollupTable = (table: string, bucket: string) => `
CREATE TABLE ${table} (
  organization_id text NOT NULL,
  ${bucket} timestamptz NOT NULL,
  team text NOT NULL,
  api_key text NOT NULL,
  model text NOT NULL,${rollupColumns},
  PRIMARY KEY (organization_id, ${bucket}, team, api_key, model)
);
SELECT kimi_isolate_by_organization('${table}');
`;

const backfill = (table: string, bucket: string, unit: string) => `
INSERT INTO ${table}
  (organization_id, ${bucket}, team, api_key, model, requests, failed_requests, prompt_tokens,
   completion_tokens, cached_tokens, cache_write_tokens, cache_write_1h_tokens, cost_usd, cache_hits,
   cache_saved_usd, unpriced_requests)
SELECT organization_id, date_trunc('${unit}', created_at, 'UTC'), coalesce(team_id, 'none'),
       coalesce(api_key_id, 'none'), coalesce(served_model, requested_model, 'unknown'),
       count(*), count(*) FILTER (WHERE status >= 400), sum(prompt_tokens), sum(completion_tokens),
       sum(cached_tokens), sum(cache_write_tokens), sum(cache_write_1h_tokens), sum(cost_usd),
       count(*) FILTER (WHERE cache_status LIKE 'hit-%'), sum(cache_saved_usd), count(*) FILTER (WHERE unpriced)
  FROM usage_records
 GROUP BY 1, 2, 3, 4, 5;
`;

const rollupTables = [
  { table: 'usage_rollups_hourly', bucket: 'hour_start', unit: 'hour' },
  { table: 'usage_rollups_daily', bucket: 'day_start', unit: 'day' },
] as const;

const inserted = 'SELECT 1 AS sign, * FROM new_records';
const deleted = 'SELECT -1 AS sign, * FROM old_records';

/**
 * The upserts that add signed records (`changes`: +1 per inserted row, -1 per deleted one) to both
 * rollup tables. Static statements, not EXECUTE, so PL/pgSQL plans each once per connection.
 */
const applyToRollups = (changes: string) =>
  rollupTables
    .map(
      ({ table, bucket, unit }) => `
    INSERT INTO ${table} AS rollup
      (organization_id, ${bucket}, team, api_key, model, requests, failed_requests, prompt_tokens,
       completion_tokens, cached_tokens, cache_write_tokens, cache_write_1h_tokens, cost_usd, cache_hits,
       cache_saved_usd, unpriced_requests)
    SELECT organization_id,
           date_trunc('${unit}', created_at, 'UTC'),
           coalesce(team_id, 'none'),
           coalesce(api_key_id, 'none'),
           coalesce(served_model, requested_model, 'unknown'),
           sum(sign),
           coalesce(sum(sign) FILTER (WHERE status >= 400), 0),
           sum(sign * prompt_tokens),
           sum(sign * completion_tokens),
           sum(sign * cached_tokens),
           sum(sign * cache_write_tokens),
           sum(sign * cache_write_1h_tokens),
           sum(sign * cost_usd),
           coalesce(sum(sign) FILTER (WHERE cache_status LIKE 'hit-%'), 0),
           sum(sign * cache_saved_usd),
           coalesce(sum(sign) FILTER (WHERE unpriced), 0)
      FROM (${changes}) AS changes
     GROUP BY 1, 2, 3, 4, 5
     ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (organization_id, ${bucket}, team, api_key, model) DO UPDATE SET
      requests = rollup.requests + excluded.requests,
      failed_requests = rollup.failed_requests + excluded.failed_requests,
      prompt_tokens = rollup.prompt_tokens + excluded.prompt_tokens,
      completion_tokens = rollup.completion_tokens + excluded.completion_tokens,
      cached_tokens = rollup.cached_tokens + excluded.cached_tokens,
      cache_write_tokens = rollup.cache_write_tokens + excluded.cache_write_tokens,
      cache_write_1h_tokens = rollup.cache_write_1h_tokens + excluded.cache_write_1h_tokens,
      cost_usd = rollup.cost_usd + excluded.cost_usd,
      cache_hits = rollup.cache_hits + excluded.cache_hits,
      cache_saved_usd = rollup.cache_saved_usd + excluded.cache_saved_usd,
      unpriced_requests = rollup.unpriced_requests + excluded.unpriced_requests;`,
    )
    .join('\n');

/** After a delete or update: buckets left with no requests are removed, as if never written. */
const pruneEmptyBuckets = rollupTables
  .map(
    ({ table, bucket, unit }) => `
    DELETE FROM ${table} AS rollup
     USING (SELECT DISTINCT organization_id, date_trunc('${unit}', created_at, 'UTC') AS bucket FROM old_records) AS touched
     WHERE rollup.organization_id = touched.organization_id AND rollup.${bucket} = touched.bucket
       AND rollup.requests = 0;`,
  )
  .join('\n');

/**
 * Rollups of `usage_records` per organisation, team, key and model, by UTC hour
 * (`usage_rollups_hourly`) and by UTC day (`usage_rollups_daily`): what GET /v1/usage aggregates,
 * so a 90-day report reads a few thousand rollup rows instead of millions of records (the daily
 * ones for whole days, the hourly ones for the whole hours around them). The group columns hold
 * the values the report groups by (`team` and `api_key` are 'none' for none, `model` is the served
 * model, else the requested one, else 'unknown').
 *
 * Statement-level triggers with transition tables keep them exact: the statement that writes usage
 * records (the ledger's group-commit INSERT, or any other) adds its rows to their buckets with one
 * upsert per rollup table in the same statement, hence the same transaction, so no crash can leave
 * rollups and records disagreeing, and a retried batch whose rows conflict adds nothing (only
 * inserted rows are in the transition table). Deletes and updates subtract what they remove;
 * TRUNCATE empties the rollups. Buckets are updated in key order so that concurrent batches lock
 * rows in one order. Statements on a single partition (the partition upkeep moving rows out of the
 * default partition) do not fire these triggers, which is right: the rows stay the same records.
 *
 * The existing records are rolled up once here.
 */
export const usageRollupsMigration: Migration = {
  version: 26,
  name: 'usage-rollups',
  sql: `
${rollupTables.map(({ table, bucket }) => rollupTable(table, bucket)).join('')}

CREATE FUNCTION kimi_usage_rollups_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    ${applyToRollups(inserted)}
  ELSIF TG_OP = 'DELETE' THEN
    ${applyToRollups(deleted)}
    ${pruneEmptyBuckets}
  ELSE
    ${applyToRollups(`${inserted} UNION ALL ${deleted}`)}
    ${pruneEmptyBuckets}
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION kimi_usage_rollups_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM usage_rollups_hourly;
  DELETE FROM usage_rollups_daily;
  RETURN NULL;
END
$$;

CREATE TRIGGER usage_rollups_after_insert AFTER INSERT ON usage_records
  REFERENCING NEW TABLE AS new_records FOR EACH STATEMENT EXECUTE FUNCTION kimi_usage_rollups_apply();
CREATE TRIGGER usage_rollups_after_update AFTER UPDATE ON usage_records
  REFERENCING OLD TABLE AS old_records NEW TABLE AS new_records
  FOR EACH STATEMENT EXECUTE FUNCTION kimi_usage_rollups_apply();
CREATE TRIGGER usage_rollups_after_delete AFTER DELETE ON usage_records
  REFERENCING OLD TABLE AS old_records FOR EACH STATEMENT EXECUTE FUNCTION kimi_usage_rollups_apply();
CREATE TRIGGER usage_rollups_after_truncate AFTER TRUNCATE ON usage_records
  FOR EACH STATEMENT EXECUTE FUNCTION kimi_usage_rollups_truncate();
${rollupTables.map(({ table, bucket, unit }) => backfill(table, bucket, unit)).join('')}
`,
};
