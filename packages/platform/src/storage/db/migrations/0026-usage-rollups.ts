import type { Migration } from './migration.ts';

/**
 * Hourly rollups of `usage_records` per organisation, team, key and model: what GET /v1/usage
 * aggregates, so a 90-day report reads a few thousand rollup rows instead of millions of records.
 * The group columns hold the values the report groups by (`team` and `api_key` are 'none' for
 * none, `model` is the served model, else the requested one, else 'unknown').
 *
 * Statement-level triggers with transition tables keep them exact: the statement that writes usage
 * records (the ledger's group-commit INSERT, or any other) adds its rows to their hour buckets with
 * one upsert in the same statement, hence the same transaction, so no crash can leave rollups and
 * records disagreeing, and a retried batch whose rows conflict adds nothing (only inserted rows are
 * in the transition table). Deletes and updates subtract what they remove; TRUNCATE empties the
 * rollups. Buckets are updated in key order so that concurrent batches lock rows in one order.
 * Statements on a single partition (the partition upkeep moving rows out of the default partition)
 * do not fire these triggers, which is right: the rows stay the same records.
 *
 * The existing records are rolled up once here.
 */
export const usageRollupsMigration: Migration = {
  version: 26,
  name: 'usage-rollups',
  sql: `
CREATE TABLE usage_rollups_hourly (
  organization_id text NOT NULL,
  hour_start timestamptz NOT NULL,
  team text NOT NULL,
  api_key text NOT NULL,
  model text NOT NULL,
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
  unpriced_requests int8 NOT NULL,
  PRIMARY KEY (organization_id, hour_start, team, api_key, model)
);
SELECT kimi_isolate_by_organization('usage_rollups_hourly');

CREATE FUNCTION kimi_usage_rollups_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changes text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    changes := 'SELECT 1 AS sign, * FROM new_records';
  ELSIF TG_OP = 'DELETE' THEN
    changes := 'SELECT -1 AS sign, * FROM old_records';
  ELSE
    changes := 'SELECT 1 AS sign, * FROM new_records UNION ALL SELECT -1 AS sign, * FROM old_records';
  END IF;
  EXECUTE format($upsert$
    INSERT INTO usage_rollups_hourly AS rollup
      (organization_id, hour_start, team, api_key, model, requests, failed_requests, prompt_tokens,
       completion_tokens, cached_tokens, cache_write_tokens, cache_write_1h_tokens, cost_usd, cache_hits,
       cache_saved_usd, unpriced_requests)
    SELECT organization_id,
           date_trunc('hour', created_at, 'UTC'),
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
           coalesce(sum(sign) FILTER (WHERE cache_status LIKE 'hit-%%'), 0),
           sum(sign * cache_saved_usd),
           coalesce(sum(sign) FILTER (WHERE unpriced), 0)
      FROM (%s) AS changes
     GROUP BY 1, 2, 3, 4, 5
     ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (organization_id, hour_start, team, api_key, model) DO UPDATE SET
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
      unpriced_requests = rollup.unpriced_requests + excluded.unpriced_requests
  $upsert$, changes);
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM usage_rollups_hourly AS rollup
     USING (SELECT DISTINCT organization_id, date_trunc('hour', created_at, 'UTC') AS hour_start FROM old_records) AS touched
     WHERE rollup.organization_id = touched.organization_id AND rollup.hour_start = touched.hour_start
       AND rollup.requests = 0;
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION kimi_usage_rollups_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM usage_rollups_hourly;
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

INSERT INTO usage_rollups_hourly
  (organization_id, hour_start, team, api_key, model, requests, failed_requests, prompt_tokens,
   completion_tokens, cached_tokens, cache_write_tokens, cache_write_1h_tokens, cost_usd, cache_hits,
   cache_saved_usd, unpriced_requests)
SELECT organization_id, date_trunc('hour', created_at, 'UTC'), coalesce(team_id, 'none'),
       coalesce(api_key_id, 'none'), coalesce(served_model, requested_model, 'unknown'),
       count(*), count(*) FILTER (WHERE status >= 400), sum(prompt_tokens), sum(completion_tokens),
       sum(cached_tokens), sum(cache_write_tokens), sum(cache_write_1h_tokens), sum(cost_usd),
       count(*) FILTER (WHERE cache_status LIKE 'hit-%'), sum(cache_saved_usd), count(*) FILTER (WHERE unpriced)
  FROM usage_records
 GROUP BY 1, 2, 3, 4, 5;
`,
};
