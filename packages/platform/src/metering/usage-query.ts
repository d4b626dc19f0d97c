import type { Queryable } from '../storage/db/index.ts';
import { decimalToPicoUsd, picoUsdToDecimal } from './cost.ts';
import { type Span, splitUsageRange } from './usage-range.ts';

export type UsageGrouping = 'model' | 'key' | 'team' | 'day';

export interface UsageQuery {
  organizationId: string;
  from: Date;
  to: Date;
  groupBy: UsageGrouping;
}

export interface UsageAggregate {
  group: string;
  requests: number;
  failed_requests: number;
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  /** Prompt tokens written to the provider's prompt cache (5-minute and 1-hour writes together). */
  cache_write_tokens: number;
  /** The part of the cache writes kept for one hour (Anthropic bills them above 5-minute writes). */
  cache_write_1h_tokens: number;
  /** Exact decimal text. */
  cost_usd: string;
  /** Requests answered by the response cache (any layer). */
  cache_hits: number;
  /** Provider cost the cache hits avoided; exact decimal text. */
  cache_saved_usd: string;
  /** Requests served by a model without a price: their cost is 0 because it is unknown. */
  unpriced_requests: number;
}

const recordGroupExpressions: Record<UsageGrouping, string> = {
  model: "coalesce(served_model, requested_model, 'unknown')",
  key: "coalesce(api_key_id, 'none')",
  team: "coalesce(team_id, 'none')",
  day: `to_char(date_trunc('day', created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`,
};

/** The same groups read off a rollup row (migration 26 stores the coalesced values), by its bucket column. */
const rollupGroupExpressions: Record<UsageGrouping, (bucket: string) => string> = {
  model: () => 'model',
  key: () => 'api_key',
  team: () => 'team',
  day: (bucket) => `to_char(${bucket} AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
};

/**
 * Aggregates one organisation's usage in [from, to) from the raw records, grouped by model, key,
 * team or UTC day: the reference {@link queryUsage} must agree with, row for row.
 */
export async function queryUsageFromRecords(
  database: Queryable,
  query: UsageQuery,
): Promise<UsageAggregate[]> {
  const result = await database.query<UsageAggregate>(
    `SELECT ${recordGroupExpressions[query.groupBy]} AS "group",
            count(*)::int8 AS requests,
            count(*) FILTER (WHERE status >= 400)::int8 AS failed_requests,
            coalesce(sum(prompt_tokens), 0)::int8 AS prompt_tokens,
            coalesce(sum(completion_tokens), 0)::int8 AS completion_tokens,
            coalesce(sum(cached_tokens), 0)::int8 AS cached_tokens,
            coalesce(sum(cache_write_tokens), 0)::int8 AS cache_write_tokens,
            coalesce(sum(cache_write_1h_tokens), 0)::int8 AS cache_write_1h_tokens,
            coalesce(sum(cost_usd), 0)::numeric(24, 12)::text AS cost_usd,
            count(*) FILTER (WHERE cache_status LIKE 'hit-%')::int8 AS cache_hits,
            coalesce(sum(cache_saved_usd), 0)::numeric(24, 12)::text AS cache_saved_usd,
            count(*) FILTER (WHERE unpriced)::int8 AS unpriced_requests
       FROM usage_records
      WHERE organization_id = $1 AND created_at >= $2 AND created_at < $3
      GROUP BY 1
      ORDER BY 1`,
    [query.organizationId, query.from, query.to],
  );
  return result.rows;
}

const rollupPartSql = (table: string, bucket: string, group: string, from: string, to: string) => `
         SELECT ${group}, requests, failed_requests, prompt_tokens, completion_tokens, cached_tokens,
                cache_write_tokens, cache_write_1h_tokens, cost_usd, cache_hits, cache_saved_usd, unpriced_requests
           FROM ${table}
          WHERE organization_id = $1 AND ${bucket} >= ${from} AND ${bucket} < ${to}`;

/** One row per record, shaped like a rollup row, for the partial hours at the ends of a range. */
const recordPartSql = (group: string, from: string, to: string) => `
         SELECT ${group}, 1, CASE WHEN status >= 400 THEN 1 ELSE 0 END, prompt_tokens, completion_tokens,
                cached_tokens, cache_write_tokens, cache_write_1h_tokens, cost_usd,
                CASE WHEN cache_status LIKE 'hit-%' THEN 1 ELSE 0 END, cache_saved_usd, CASE WHEN unpriced THEN 1 ELSE 0 END
           FROM usage_records
          WHERE organization_id = $1 AND created_at >= ${from} AND created_at < ${to}`;

/**
 * Aggregates one organisation's usage in [from, to), grouped by model, key, team or UTC day.
 * Whole UTC days inside the range come from the daily rollups, the whole hours around them from
 * the hourly rollups (both kept exact by the statement that writes the records), and only the
 * partial hours at either end (none for an hour-aligned range) from the records. The answer is
 * the same as {@link queryUsageFromRecords}': the same sums over the same records, cast to the
 * same types and decimal text.
 */
export async function queryUsage(database: Queryable, query: UsageQuery): Promise<UsageAggregate[]> {
  const parts = splitUsageRange(query.from.getTime(), query.to.getTime());
  if (parts.days.length === 0 && parts.hours.length === 0) return queryUsageFromRecords(database, query);
  const parameters: unknown[] = [query.organizationId];
  const placeholders = ([from, to]: Span) => {
    parameters.push(new Date(from), new Date(to));
    return [`$${parameters.length - 1}`, `$${parameters.length}`] as const;
  };
  const rollupGroup = rollupGroupExpressions[query.groupBy];
  const branches = [
    ...parts.days.map((span) =>
      rollupPartSql('usage_rollups_daily', 'day_start', rollupGroup('day_start'), ...placeholders(span)),
    ),
    ...parts.hours.map((span) =>
      rollupPartSql('usage_rollups_hourly', 'hour_start', rollupGroup('hour_start'), ...placeholders(span)),
    ),
    ...parts.records.map((span) =>
      recordPartSql(recordGroupExpressions[query.groupBy], ...placeholders(span)),
    ),
  ];
  const result = await database.query<UsageAggregate>(
    `SELECT "group",
            sum(requests)::int8 AS requests,
            sum(failed_requests)::int8 AS failed_requests,
            sum(prompt_tokens)::int8 AS prompt_tokens,
            sum(completion_tokens)::int8 AS completion_tokens,
            sum(cached_tokens)::int8 AS cached_tokens,
            sum(cache_write_tokens)::int8 AS cache_write_tokens,
            sum(cache_write_1h_tokens)::int8 AS cache_write_1h_tokens,
            sum(cost_usd)::numeric(24, 12)::text AS cost_usd,
            sum(cache_hits)::int8 AS cache_hits,
            sum(cache_saved_usd)::numeric(24, 12)::text AS cache_saved_usd,
            sum(unpriced_requests)::int8 AS unpriced_requests
       FROM (${branches.join('\n         UNION ALL')}
       ) AS parts ("group", requests, failed_requests, prompt_tokens, completion_tokens, cached_tokens,
                   cache_write_tokens, cache_write_1h_tokens, cost_usd, cache_hits, cache_saved_usd, unpriced_requests)
      GROUP BY 1
     HAVING sum(requests) > 0
      ORDER BY 1`,
    parameters,
  );
  return result.rows;
}

/** Adds up aggregates into one total row; cost is summed exactly in pico-USD. */
export function totalUsage(rows: readonly UsageAggregate[]): Omit<UsageAggregate, 'group'> {
  let costPico = 0n;
  let savedPico = 0n;
  const total = {
    requests: 0,
    failed_requests: 0,
    prompt_tokens: 0,
    completion_tokens: 0,
    cached_tokens: 0,
    cache_write_tokens: 0,
    cache_write_1h_tokens: 0,
    cache_hits: 0,
    unpriced_requests: 0,
  };
  for (const row of rows) {
    total.requests += row.requests;
    total.failed_requests += row.failed_requests;
    total.prompt_tokens += row.prompt_tokens;
    total.completion_tokens += row.completion_tokens;
    total.cached_tokens += row.cached_tokens;
    total.cache_write_tokens += row.cache_write_tokens;
    total.cache_write_1h_tokens += row.cache_write_1h_tokens;
    total.cache_hits += row.cache_hits;
    total.unpriced_requests += row.unpriced_requests;
    costPico += decimalToPicoUsd(row.cost_usd);
    savedPico += decimalToPicoUsd(row.cache_saved_usd);
  }
  return { ...total, cost_usd: picoUsdToDecimal(costPico), cache_saved_usd: picoUsdToDecimal(savedPico) };
}
