import type { Queryable } from '../storage/db/index.ts';
import { decimalToPicoUsd, picoUsdToDecimal } from './cost.ts';

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

const groupExpressions: Record<UsageGrouping, string> = {
  model: "coalesce(served_model, requested_model, 'unknown')",
  key: "coalesce(api_key_id, 'none')",
  team: "coalesce(team_id, 'none')",
  day: `to_char(date_trunc('day', created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`,
};

/** Aggregates one organisation's usage in [from, to), grouped by model, key, team or UTC day. */
export async function queryUsage(database: Queryable, query: UsageQuery): Promise<UsageAggregate[]> {
  const group = groupExpressions[query.groupBy];
  const result = await database.query<UsageAggregate>(
    `SELECT ${group} AS "group",
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
