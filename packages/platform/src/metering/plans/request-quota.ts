import type { Queryable } from '../../storage/db/index.ts';

/** The calendar month (UTC) containing `now`: [start, end). */
export function calendarMonthOf(now: number): { start: Date; end: Date } {
  const date = new Date(now);
  return {
    start: new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1)),
    end: new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1)),
  };
}

/**
 * Model requests (chat and embeddings) an organisation made this calendar month (UTC), as its
 * plan's monthly quota counts them: every request that was served (status < 400) or that reached a
 * provider (attempts > 0, e.g. an upstream failure or a client that hung up mid-stream). Requests
 * the platform refused before calling any provider — over quota, over budget, rate limited,
 * invalid, model not allowed — do not count, so a refusal never uses up quota.
 *
 * This reads the ledger (one indexed range scan); the hot path should keep a live counter and use
 * this to seed or reconcile it.
 */
export async function monthlyRequestsUsed(
  database: Queryable,
  organizationId: string,
  now: number,
): Promise<number> {
  const { start, end } = calendarMonthOf(now);
  const result = await database.query<{ count: number }>(
    `SELECT count(*)::int8 AS count FROM usage_records
      WHERE organization_id = $1 AND created_at >= $2 AND created_at < $3 AND (status < 400 OR attempts > 0)`,
    [organizationId, start, end],
  );
  return result.rows[0]?.count ?? 0;
}
