import type { TokenUsage } from '../../model/index.ts';
import type { Queryable } from '../../storage/db/index.ts';
import {
  emptyLineCounts,
  type FinishedLine,
  type LineCounts,
  type LineResult,
  type LineStatus,
  type LineUsage,
} from './batch-record.ts';

/**
 * The SQL of batch lines: one row per request of a batch, claimed before its call and given its
 * result before its job is acknowledged. Only `resetRunningLines` spans organisations.
 */

export interface NewLine {
  index: number;
  customId: string;
  request: Record<string, unknown>;
}

/** Inserts the lines in statements of at most 1000 rows (well within the parameter limit). */
export async function insertLines(
  database: Queryable,
  organizationId: string,
  batchId: string,
  lines: readonly NewLine[],
): Promise<void> {
  for (let start = 0; start < lines.length; start += 1000) {
    const chunk = lines.slice(start, start + 1000);
    const params: unknown[] = [batchId, organizationId];
    const values = chunk.map((line) => {
      params.push(line.index, line.customId, JSON.stringify(line.request));
      const at = params.length;
      return `($1, $${at - 2}, $2, $${at - 1}, $${at}::jsonb, 'pending')`;
    });
    await database.query(
      `INSERT INTO batch_lines (batch_id, line_index, organization_id, custom_id, request, status)
       VALUES ${values.join(', ')}`,
      params,
    );
  }
}

export async function countLines(database: Queryable, batchId: string): Promise<LineCounts> {
  const result = await database.query<{ status: LineStatus; count: number }>(
    'SELECT status, count(*)::integer AS count FROM batch_lines WHERE batch_id = $1 GROUP BY status',
    [batchId],
  );
  const counts: LineCounts = { ...emptyLineCounts };
  for (const row of result.rows) counts[row.status] = row.count;
  return counts;
}

/**
 * Takes a line to run: a pending one, or one whose runner has held it longer than `leaseMs` (its
 * process died). Null when the line is finished or another runner holds it.
 */
/** The tokens of the batch's lines so far, and the model that served most of them. */
export async function lineUsage(database: Queryable, batchId: string): Promise<LineUsage> {
  const result = await database.query<{
    input: number;
    cached: number;
    output: number;
    model: string | null;
  }>(
    `SELECT coalesce(sum(input_tokens), 0)::integer AS input, coalesce(sum(cached_tokens), 0)::integer AS cached,
            coalesce(sum(output_tokens), 0)::integer AS output,
            (SELECT model FROM batch_lines WHERE batch_id = $1 AND model IS NOT NULL
              GROUP BY model ORDER BY count(*) DESC, model LIMIT 1) AS model
       FROM batch_lines WHERE batch_id = $1`,
    [batchId],
  );
  const row = result.rows[0];
  return {
    inputTokens: row?.input ?? 0,
    cachedTokens: row?.cached ?? 0,
    outputTokens: row?.output ?? 0,
    model: row?.model ?? null,
  };
}

export async function claimLine(
  database: Queryable,
  batchId: string,
  lineIndex: number,
  now: number,
  leaseMs: number,
): Promise<{ customId: string; request: Record<string, unknown> } | null> {
  const result = await database.query<{ custom_id: string; request: Record<string, unknown> }>(
    `UPDATE batch_lines SET status = 'running', claimed_at = $3
      WHERE batch_id = $1 AND line_index = $2
        AND (status = 'pending' OR (status = 'running' AND claimed_at < $4))
      RETURNING custom_id, request`,
    [batchId, lineIndex, new Date(now), new Date(now - leaseMs)],
  );
  const row = result.rows[0];
  return row ? { customId: row.custom_id, request: row.request } : null;
}

/** Gives a claimed line back (its call will be tried again). */
export async function releaseLine(database: Queryable, batchId: string, lineIndex: number): Promise<void> {
  await database.query(
    `UPDATE batch_lines SET status = 'pending', claimed_at = NULL
      WHERE batch_id = $1 AND line_index = $2 AND status = 'running'`,
    [batchId, lineIndex],
  );
}

/** Writes a claimed line's result; false when the line was no longer running (nothing written). */
export async function recordLineResult(
  database: Queryable,
  batchId: string,
  lineIndex: number,
  outcome: {
    status: 'succeeded' | 'errored';
    statusCode: number;
    requestId: string;
    result: LineResult;
    served: { model: string; usage: TokenUsage } | null;
  },
  now: number,
): Promise<boolean> {
  const result = await database.query(
    `UPDATE batch_lines SET status = $3, status_code = $4, request_id = $5, result = $6::jsonb, finished_at = $7,
       model = $8, input_tokens = $9, cached_tokens = $10, output_tokens = $11
      WHERE batch_id = $1 AND line_index = $2 AND status = 'running'`,
    [
      batchId,
      lineIndex,
      outcome.status,
      outcome.statusCode,
      outcome.requestId,
      JSON.stringify(outcome.result),
      new Date(now),
      outcome.served?.model ?? null,
      outcome.served?.usage.promptTokens ?? 0,
      outcome.served?.usage.cachedPromptTokens ?? 0,
      outcome.served?.usage.completionTokens ?? 0,
    ],
  );
  return result.rowCount > 0;
}

/** Ends every pending (not running) line with `status` and the same result; returns how many. */
export async function settlePendingLines(
  database: Queryable,
  batchId: string,
  status: 'canceled' | 'expired',
  result: (customId: string) => LineResult,
  now: number,
): Promise<number> {
  const pending = await database.query<{ line_index: number; custom_id: string }>(
    `SELECT line_index, custom_id FROM batch_lines WHERE batch_id = $1 AND status = 'pending'`,
    [batchId],
  );
  for (let start = 0; start < pending.rows.length; start += 1000) {
    const chunk = pending.rows.slice(start, start + 1000);
    const params: unknown[] = [batchId, status, new Date(now)];
    const values = chunk.map((row) => {
      params.push(row.line_index, JSON.stringify(result(row.custom_id)));
      return `($${params.length - 1}::integer, $${params.length}::jsonb)`;
    });
    await database.query(
      `UPDATE batch_lines SET status = $2, result = settled.result, finished_at = $3
         FROM (VALUES ${values.join(', ')}) AS settled (line_index, result)
        WHERE batch_lines.batch_id = $1 AND batch_lines.line_index = settled.line_index
          AND batch_lines.status = 'pending'`,
      params,
    );
  }
  return pending.rows.length;
}

/** Lines a runner should take: pending ones, and running ones whose lease has lapsed. */
export async function runnableLineIndexes(
  database: Queryable,
  batchId: string,
  now: number,
  leaseMs: number,
): Promise<number[]> {
  const result = await database.query<{ line_index: number }>(
    `SELECT line_index FROM batch_lines
      WHERE batch_id = $1 AND (status = 'pending' OR (status = 'running' AND claimed_at < $2))
      ORDER BY line_index`,
    [batchId, new Date(now - leaseMs)],
  );
  return result.rows.map((row) => row.line_index);
}

export async function finishedLines(database: Queryable, batchId: string): Promise<FinishedLine[]> {
  const result = await database.query<{
    line_index: number;
    custom_id: string;
    status: LineStatus;
    result: LineResult | null;
  }>(
    'SELECT line_index, custom_id, status, result FROM batch_lines WHERE batch_id = $1 ORDER BY line_index',
    [batchId],
  );
  return result.rows.map((row) => ({
    index: row.line_index,
    customId: row.custom_id,
    status: row.status,
    result: row.result,
  }));
}

/** In a store only this process opens, a running line's runner is a dead process: give it back. */
export async function resetRunningLines(database: Queryable): Promise<void> {
  await database.query(
    `UPDATE batch_lines SET status = 'pending', claimed_at = NULL WHERE status = 'running'`,
  );
}
