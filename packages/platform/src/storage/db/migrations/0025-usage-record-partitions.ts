import type { Migration } from './migration.ts';

/**
 * `usage_records` partitioned by calendar month (UTC) with PostgreSQL's declarative partitioning,
 * so a query over a time range reads only the months it spans and old months can be detached.
 * A partitioned table's unique keys must include the partition key: the primary key becomes
 * (request_id, created_at), and the ledger's retried batch still conflicts with itself because a
 * record keeps its created_at across retries. `usage_records_default` takes any row whose month has
 * no partition yet, so an insert never fails.
 *
 * `kimi_ensure_usage_partitions(at, months_ahead)` creates the partitions of the month of `at` and
 * the `months_ahead` months after it. It runs as the schema owner (SECURITY DEFINER), so the
 * restricted role may call it at start-up and on a schedule without owning any table; each new
 * partition gets the parent's row-level security policies, because a partition read directly is not
 * covered by its parent's. Rows already in the default partition for a month that gets its own
 * partition are moved there first (Postgres refuses the partition otherwise).
 *
 * The existing rows are copied into partitions for every month they fall in; then the old table is dropped.
 */
export const usageRecordPartitionsMigration: Migration = {
  version: 25,
  name: 'usage-record-partitions',
  sql: `
ALTER TABLE usage_records RENAME TO usage_records_unpartitioned;
ALTER INDEX usage_records_pkey RENAME TO usage_records_unpartitioned_pkey;
ALTER INDEX usage_records_organization_time_idx RENAME TO usage_records_unpartitioned_organization_time_idx;
ALTER INDEX usage_records_team_time_idx RENAME TO usage_records_unpartitioned_team_time_idx;

CREATE TABLE usage_records (LIKE usage_records_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
  PARTITION BY RANGE (created_at);
ALTER TABLE usage_records ADD CONSTRAINT usage_records_pkey PRIMARY KEY (request_id, created_at);
CREATE INDEX usage_records_organization_time_idx ON usage_records (organization_id, created_at);
CREATE INDEX usage_records_team_time_idx ON usage_records (organization_id, team_id, created_at)
  WHERE team_id IS NOT NULL;
CREATE TABLE usage_records_default PARTITION OF usage_records DEFAULT;
SELECT kimi_isolate_by_organization('usage_records');
SELECT kimi_isolate_by_organization('usage_records_default');

CREATE FUNCTION kimi_ensure_usage_partition(month_of timestamptz) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  lower_bound timestamptz := date_trunc('month', month_of AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  upper_bound timestamptz := (date_trunc('month', month_of AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
  partition_name text := 'usage_records_' || to_char(month_of AT TIME ZONE 'UTC', 'YYYY_MM');
  lower_text text := to_char(lower_bound AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"');
  upper_text text := to_char(upper_bound AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"');
  column_list text;
BEGIN
  IF to_regclass(partition_name) IS NOT NULL THEN
    RETURN false;
  END IF;
  IF EXISTS (SELECT 1 FROM usage_records_default WHERE created_at >= lower_bound AND created_at < upper_bound) THEN
    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO column_list
      FROM pg_attribute WHERE attrelid = 'usage_records'::regclass AND attnum > 0 AND NOT attisdropped;
    EXECUTE format('CREATE TABLE %I (LIKE usage_records INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', partition_name);
    EXECUTE format(
      'WITH moved AS (DELETE FROM usage_records_default WHERE created_at >= $1 AND created_at < $2 RETURNING %s) '
        'INSERT INTO %I (%s) SELECT %s FROM moved',
      column_list, partition_name, column_list, column_list)
      USING lower_bound, upper_bound;
    EXECUTE format('ALTER TABLE usage_records ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
      partition_name, lower_text, upper_text);
  ELSE
    EXECUTE format('CREATE TABLE %I PARTITION OF usage_records FOR VALUES FROM (%L) TO (%L)',
      partition_name, lower_text, upper_text);
  END IF;
  PERFORM kimi_isolate_by_organization(partition_name::regclass);
  RETURN true;
END
$$;

CREATE FUNCTION kimi_ensure_usage_partitions(at timestamptz, months_ahead integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  created integer := 0;
  month_index integer;
BEGIN
  IF months_ahead < 0 OR months_ahead > 120 THEN
    RAISE EXCEPTION 'months_ahead must be between 0 and 120, not %', months_ahead;
  END IF;
  -- why: replicas starting together would otherwise race to create the same partition.
  PERFORM pg_advisory_xact_lock(7104312905252);
  FOR month_index IN 0..months_ahead LOOP
    IF kimi_ensure_usage_partition(
         ((date_trunc('month', at AT TIME ZONE 'UTC') + make_interval(months => month_index)) AT TIME ZONE 'UTC')) THEN
      created := created + 1;
    END IF;
  END LOOP;
  RETURN created;
END
$$;
REVOKE ALL ON FUNCTION kimi_ensure_usage_partition(timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION kimi_ensure_usage_partitions(timestamptz, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kimi_ensure_usage_partitions(timestamptz, integer) TO kimi_platform;

SELECT kimi_ensure_usage_partition(month_start)
  FROM (SELECT DISTINCT date_trunc('month', created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS month_start
          FROM usage_records_unpartitioned) AS months;
SELECT kimi_ensure_usage_partitions(now(), 3);
INSERT INTO usage_records SELECT * FROM usage_records_unpartitioned;
DROP TABLE usage_records_unpartitioned;
`,
};
