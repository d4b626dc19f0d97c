import { errors } from '../errors/index.ts';
import type { Database } from '../storage/db/index.ts';
import type { Clock } from '../support/index.ts';
import { type UsageRecord, usageColumns } from './usage-record.ts';

export interface UsageLedgerOptions {
  database: Database;
  clock: Clock;
  /** Records per INSERT. */
  batchMaxRecords: number;
  /** Records waiting to be written; beyond it `record()` waits (backpressure), memory stays bounded. */
  queueMaxRecords: number;
  /** INSERTs in flight at once; 1 for PGlite (single connection), a few for PostgreSQL. */
  concurrentWrites: number;
  /** Tries per batch before its records' requests fail; transient database errors are retried. */
  writeAttempts?: number;
  onBatchWritten?: (records: number, durationMs: number) => void;
  /** Told the records of each batch once committed (e.g. to announce new usage); must not throw. */
  onRecordsCommitted?: (records: readonly UsageRecord[]) => void;
  onWriteError?: (error: unknown, attempt: number) => void;
}

export interface UsageLedger {
  /** Resolves once the record is durably committed; rejects (USAGE_WRITE_FAILED) if it could not be. */
  record(record: UsageRecord): Promise<void>;
  /** Records accepted but not yet committed. */
  depth(): number;
  /** Requests waiting for room in the queue. */
  waiting(): number;
  /** Writes everything pending, then refuses new records. */
  close(): Promise<void>;
}

interface PendingRecord {
  record: UsageRecord;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const columnList = usageColumns.map(([name]) => name).join(', ');

/**
 * One statement for any batch size: the batch travels as a single JSON parameter that Postgres
 * expands into rows. A fixed statement text is planned once (PostgreSQL) and costs about a third
 * of the CPU per record of a multi-row VALUES list with 25 parameters a row (PGlite, where every
 * parameter crosses into WASM). ON CONFLICT makes a retried batch idempotent: a row that did
 * commit is not written twice (the key includes created_at, the partition key, which a record keeps
 * across retries). The hourly and daily rollups are updated by the same statement (migration 26).
 */
const insertSql =
  `INSERT INTO usage_records (${columnList}) ` +
  `SELECT ${columnList} FROM json_populate_recordset(NULL::usage_records, $1::json) ` +
  'ON CONFLICT (request_id, created_at) DO NOTHING';

function batchJson(batch: readonly PendingRecord[]): string {
  const rows = batch.map(({ record }) => {
    const row: Record<string, unknown> = {};
    for (const [name, read] of usageColumns) row[name] = read(record);
    return row;
  });
  // why: Dates serialise as ISO 8601 in UTC, which timestamptz reads exactly.
  return JSON.stringify(rows);
}

/**
 * Group commit: concurrent requests share one batched INSERT. A batch is cut at the end of the
 * event-loop turn in which its first record arrived (setImmediate), so every request finishing in
 * that turn joins it; records that arrive while writes are in flight form the next batch. Batches
 * thus grow with load, and at low load a record waits one turn, microseconds, before its write.
 * This matters most for embedded PGlite, whose statements run on this thread and block it: cutting
 * a batch at once would write one record per INSERT, at about 1 ms of CPU each, under any load.
 */
export function createUsageLedger(options: UsageLedgerOptions): UsageLedger {
  const pending: PendingRecord[] = [];
  const roomWaiters: Array<() => void> = [];
  const writeAttempts = options.writeAttempts ?? 5;
  let writesInFlight = 0;
  let recordsInFlight = 0;
  let closed = false;
  let idleWaiters: Array<() => void> = [];
  let flushScheduled = false;

  const wakeRoomWaiters = () => {
    while (roomWaiters.length > 0 && pending.length < options.queueMaxRecords) roomWaiters.shift()?.();
  };

  const settleIdle = () => {
    if (pending.length === 0 && writesInFlight === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  };

  async function writeBatch(batch: PendingRecord[]): Promise<void> {
    const params = [batchJson(batch)];
    const started = options.clock.now();
    for (let attempt = 1; ; attempt++) {
      try {
        await options.database.query(insertSql, params);
        options.onBatchWritten?.(batch.length, options.clock.now() - started);
        for (const entry of batch) entry.resolve();
        options.onRecordsCommitted?.(batch.map((entry) => entry.record));
        return;
      } catch (error) {
        options.onWriteError?.(error, attempt);
        if (attempt >= writeAttempts) {
          const failure = errors.unavailable(
            'The usage record could not be written, so the request was not completed.',
            'The metering database is unreachable; retry shortly.',
          );
          for (const entry of batch) entry.reject(failure);
          return;
        }
        await options.clock.sleep(Math.min(50 * 2 ** attempt, 2000));
      }
    }
  }

  /** Cuts and writes batches once the current event-loop turn has delivered its records. */
  function scheduleFlush(): void {
    if (flushScheduled) return;
    flushScheduled = true;
    setImmediate(() => {
      flushScheduled = false;
      pump();
    });
  }

  function pump(): void {
    while (writesInFlight < options.concurrentWrites && pending.length > 0) {
      const batch = pending.splice(0, options.batchMaxRecords);
      writesInFlight++;
      recordsInFlight += batch.length;
      wakeRoomWaiters();
      void writeBatch(batch).finally(() => {
        writesInFlight--;
        recordsInFlight -= batch.length;
        scheduleFlush();
        settleIdle();
      });
    }
  }

  return {
    async record(record) {
      if (closed) throw errors.unavailable('The server is shutting down.', 'Retry against another instance.');
      while (pending.length >= options.queueMaxRecords) {
        await new Promise<void>((resolve) => roomWaiters.push(resolve));
      }
      const committed = new Promise<void>((resolve, reject) => pending.push({ record, resolve, reject }));
      scheduleFlush();
      return committed;
    },
    depth: () => pending.length + recordsInFlight,
    waiting: () => roomWaiters.length,
    async close() {
      closed = true;
      if (pending.length === 0 && writesInFlight === 0) return;
      await new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}
