import type { Queryable } from '../../storage/db/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';
import type { BatchError, BatchFormat, BatchRecord, BatchStatus } from './batch-record.ts';

/**
 * The SQL of batches (their lines: batch-line-repository.ts). Statements on one batch name its
 * organisation (row-level security backs it); only `findLiveBatches` spans organisations.
 */

interface BatchRow {
  id: string;
  organization_id: string;
  api_key_id: string;
  format: BatchFormat;
  endpoint: string;
  input_file_id: string | null;
  completion_window: string;
  status: BatchStatus;
  caller: AuthContext;
  metadata: Record<string, string> | null;
  errors: BatchError[] | null;
  output_file_id: string | null;
  error_file_id: string | null;
  created_at: Date;
  in_progress_at: Date | null;
  expires_at: Date;
  finalizing_at: Date | null;
  completed_at: Date | null;
  failed_at: Date | null;
  expired_at: Date | null;
  cancelling_at: Date | null;
  cancelled_at: Date | null;
}

const time = (value: Date | null) => value?.getTime() ?? null;
const date = (value: number | null) => (value === null ? null : new Date(value));

function toRecord(row: BatchRow): BatchRecord {
  return {
    id: row.id,
    organizationId: row.organization_id,
    apiKeyId: row.api_key_id,
    format: row.format,
    endpoint: row.endpoint,
    inputFileId: row.input_file_id,
    completionWindow: row.completion_window,
    status: row.status,
    caller: row.caller,
    metadata: row.metadata,
    errors: row.errors,
    outputFileId: row.output_file_id,
    errorFileId: row.error_file_id,
    createdAt: row.created_at.getTime(),
    inProgressAt: time(row.in_progress_at),
    expiresAt: row.expires_at.getTime(),
    finalizingAt: time(row.finalizing_at),
    completedAt: time(row.completed_at),
    failedAt: time(row.failed_at),
    expiredAt: time(row.expired_at),
    cancellingAt: time(row.cancelling_at),
    cancelledAt: time(row.cancelled_at),
  };
}

export async function insertBatch(database: Queryable, batch: BatchRecord): Promise<void> {
  const { origin: _origin, ...caller } = batch.caller;
  await database.query(
    `INSERT INTO batches (id, organization_id, api_key_id, format, endpoint, input_file_id, completion_window,
       status, caller, metadata, errors, created_at, in_progress_at, expires_at, failed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11::jsonb, $12, $13, $14, $15)`,
    [
      batch.id,
      batch.organizationId,
      batch.apiKeyId,
      batch.format,
      batch.endpoint,
      batch.inputFileId,
      batch.completionWindow,
      batch.status,
      JSON.stringify(caller),
      batch.metadata === null ? null : JSON.stringify(batch.metadata),
      batch.errors === null ? null : JSON.stringify(batch.errors),
      new Date(batch.createdAt),
      date(batch.inProgressAt),
      new Date(batch.expiresAt),
      date(batch.failedAt),
    ],
  );
}

export async function findBatch(
  database: Queryable,
  organizationId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<BatchRecord | null> {
  const result = await database.query<BatchRow>(
    `SELECT * FROM batches WHERE organization_id = $1 AND id = $2${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [organizationId, id],
  );
  const row = result.rows[0];
  return row ? toRecord(row) : null;
}

export interface BatchListQuery {
  limit: number;
  /** Batches older than this one (the list is newest first). */
  after?: string;
  /** Batches newer than this one. */
  before?: string;
}

/** Newest first, one more than `limit` rows so the caller knows whether there are more. */
export async function listBatches(
  database: Queryable,
  organizationId: string,
  format: BatchFormat,
  query: BatchListQuery,
): Promise<BatchRecord[]> {
  const params: unknown[] = [organizationId, format, query.limit + 1];
  const conditions = ['organization_id = $1', 'format = $2'];
  const cursor = (id: string) => {
    params.push(id);
    return `(SELECT created_at, id FROM batches WHERE organization_id = $1 AND id = $${params.length})`;
  };
  if (query.after) conditions.push(`(created_at, id) < ${cursor(query.after)}`);
  if (query.before) conditions.push(`(created_at, id) > ${cursor(query.before)}`);
  // why: `before` pages towards newer batches, so it reads ascending and is turned round.
  const ascending = query.before !== undefined && query.after === undefined;
  const direction = ascending ? 'ASC' : 'DESC';
  const result = await database.query<BatchRow>(
    `SELECT * FROM batches WHERE ${conditions.join(' AND ')}
      ORDER BY created_at ${direction}, id ${direction} LIMIT $3`,
    params,
  );
  const rows = result.rows.map(toRecord);
  return ascending ? rows.reverse() : rows;
}

/** Sets the given timestamp columns (and the status) when the batch is in one of `from`. */
export async function transitionBatch(
  database: Queryable,
  batchId: string,
  from: readonly BatchStatus[],
  to: BatchStatus,
  set: Partial<Record<'in_progress_at' | 'cancelling_at' | 'expired_at' | 'failed_at', number>> & {
    errors?: BatchError[];
  } = {},
): Promise<boolean> {
  const params: unknown[] = [batchId, from, to];
  const assignments = ['status = $3'];
  for (const [column, value] of Object.entries(set)) {
    if (column === 'errors') {
      params.push(JSON.stringify(value));
      assignments.push(`errors = $${params.length}::jsonb`);
    } else {
      params.push(new Date(value as number));
      assignments.push(`${column} = $${params.length}`);
    }
  }
  const result = await database.query(
    `UPDATE batches SET ${assignments.join(', ')} WHERE id = $1 AND status = ANY($2::text[])`,
    params,
  );
  return result.rowCount > 0;
}

/** Marks when the batch's window ran out, once; it ends as `expired` when its last line settles. */
export async function markExpired(database: Queryable, batchId: string, now: number): Promise<void> {
  await database.query('UPDATE batches SET expired_at = $2 WHERE id = $1 AND expired_at IS NULL', [
    batchId,
    new Date(now),
  ]);
}

/** The end of a batch: its final status, its files and the time of each step. */
export async function endBatch(
  database: Queryable,
  batchId: string,
  end: {
    status: 'completed' | 'expired' | 'cancelled';
    now: number;
    outputFileId: string | null;
    errorFileId: string | null;
  },
): Promise<void> {
  const column = { completed: 'completed_at', expired: 'expired_at', cancelled: 'cancelled_at' }[end.status];
  await database.query(
    `UPDATE batches SET status = $2, finalizing_at = COALESCE(finalizing_at, $3), ${column} = COALESCE(${column}, $3),
       output_file_id = $4, error_file_id = $5
     WHERE id = $1`,
    [batchId, end.status, new Date(end.now), end.outputFileId, end.errorFileId],
  );
}

/** Batches of every organisation that still have work or an end to write (a platform sweep). */
export async function findLiveBatches(
  database: Queryable,
  limit: number,
): Promise<Array<{ id: string; organizationId: string }>> {
  const result = await database.query<{ id: string; organization_id: string }>(
    `SELECT id, organization_id FROM batches WHERE status IN ('in_progress', 'finalizing', 'cancelling')
      ORDER BY created_at LIMIT $1`,
    [limit],
  );
  return result.rows.map((row) => ({ id: row.id, organizationId: row.organization_id }));
}

export async function deleteBatch(database: Queryable, organizationId: string, id: string): Promise<boolean> {
  const result = await database.query('DELETE FROM batches WHERE organization_id = $1 AND id = $2', [
    organizationId,
    id,
  ]);
  return result.rowCount > 0;
}
