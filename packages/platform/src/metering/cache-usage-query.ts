import type { Queryable } from '../storage/db/index.ts';
import { decimalToPicoUsd, picoUsdToDecimal } from './cost.ts';

export interface CacheUsage {
  /** Chat requests by cache status (hit-l1, hit-l2, hit-semantic, miss, bypass). */
  requests: Record<string, number>;
  /** Provider cost the hits avoided; exact decimal text. */
  savedUsd: string;
  /** Tokens the hits answered without a provider call. */
  tokensServed: number;
}

/** One organisation's cache outcomes in [from, to), from the usage ledger (durable, every replica). */
export async function queryCacheUsage(
  database: Queryable,
  query: { organizationId: string; from: Date; to: Date },
): Promise<CacheUsage> {
  const result = await database.query<{ status: string; requests: number; saved: string; tokens: number }>(
    `SELECT cache_status AS status,
            count(*)::int8 AS requests,
            coalesce(sum(cache_saved_usd), 0)::numeric(24, 12)::text AS saved,
            coalesce(sum(prompt_tokens + completion_tokens), 0)::int8 AS tokens
       FROM usage_records
      WHERE organization_id = $1 AND created_at >= $2 AND created_at < $3 AND cache_status IS NOT NULL
      GROUP BY 1`,
    [query.organizationId, query.from, query.to],
  );
  const requests: Record<string, number> = {
    'hit-l1': 0,
    'hit-l2': 0,
    'hit-semantic': 0,
    miss: 0,
    bypass: 0,
  };
  let savedPico = 0n;
  let tokensServed = 0;
  for (const row of result.rows) {
    requests[row.status] = row.requests;
    if (row.status.startsWith('hit-')) {
      savedPico += decimalToPicoUsd(row.saved);
      tokensServed += row.tokens;
    }
  }
  return { requests, savedUsd: picoUsdToDecimal(savedPico), tokensServed };
}
