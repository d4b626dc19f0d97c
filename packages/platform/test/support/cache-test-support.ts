import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/storage/db/index.ts';

/** The cache fields of one request's usage record. */
export interface CacheUsageRow {
  request_id: string;
  organization_id: string;
  cache_status: string | null;
  cache_saved_usd: string;
  cost_usd: string;
  prompt_tokens: number;
  completion_tokens: number;
  status: number;
  streamed: boolean;
}

export async function cacheUsageRow(
  database: Database,
  requestId: string,
): Promise<CacheUsageRow | undefined> {
  const result = await database.query<CacheUsageRow>(
    `SELECT request_id, organization_id, cache_status, cache_saved_usd::text AS cache_saved_usd, cost_usd::text AS cost_usd,
            prompt_tokens, completion_tokens, status, streamed
       FROM usage_records WHERE request_id = $1`,
    [requestId],
  );
  return result.rows[0];
}

/** Usage records of an organisation by cache status. */
export async function cacheStatusCounts(
  database: Database,
  organizationId: string,
): Promise<Record<string, number>> {
  const result = await database.query<{ status: string | null; count: number }>(
    `SELECT cache_status AS status, count(*)::int8 AS count FROM usage_records
      WHERE organization_id = $1 GROUP BY 1`,
    [organizationId],
  );
  return Object.fromEntries(result.rows.map((row) => [row.status ?? 'none', row.count]));
}

/** The JSON payloads of an SSE body, without the final [DONE]. */
export function sseEvents(body: string): Array<Record<string, unknown>> {
  return body
    .split('\n')
    .filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]')
    .map((line) => JSON.parse(line.slice('data: '.length)) as Record<string, unknown>);
}

/** A chat request through `inject`, with the given key and extra headers. */
export function chatRequest(
  app: FastifyInstance,
  secret: string,
  payload: object,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: { authorization: `Bearer ${secret}`, ...headers },
    payload,
  });
}

/** A sample value of a Prometheus metric with the given labels, 0 when absent. */
export async function metricValue(app: FastifyInstance, name: string, labels: Record<string, string> = {}) {
  const response = await app.inject({ method: 'GET', url: '/metrics' });
  let total = 0;
  for (const line of response.body.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const matches = Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`));
    if (matches) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}
