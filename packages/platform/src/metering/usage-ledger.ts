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

function insertStatement(batch: readonly PendingRecord[]): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const rows: string[] = [];
  for (const { record } of batch) {
    const placeholders: string[] = [];
    for (const [, read] of usageColumns) {
      params.push(read(record));
      placeholders.push(`$${params.length}`);
    }
    rows.push(`(${placeholders.join(', ')})`);
  }
  const columns = usageColumns.map(([name]) => name).join(', ');
  // ON CONFLICT makes a retried batch idempotent: a row that did commit is not written twice.
  return {
    sql: `INSERT INTO usage_records (${columns}) VALUES ${rows.join(', ')} ON CONFLICT (request_id) DO NOTHING`,
    params,
  };
}

/**
 * Group commit: concurrent requests share one batched INSERT. The first record is written at once;
 * records that arrive while a write is in flight form the next batch, so batches grow with load
 * and latency stays one round trip at low load.
 */
export function createUsageLedger(options: UsageLedgerOptions): UsageLedger {
  const pending: PendingRecord[] = [];
  const roomWaiters: Array<() => void> = [];
  const writeAttempts = options.writeAttempts ?? 5;
  let writesInFlight = 0;
  let recordsInFlight = 0;
  let closed = false;
  let idleWaiters: Array<() => void> = [];

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
    const { sql, params } = insertStatement(batch);
    const started = options.clock.now();
    for (let attempt = 1; ; attempt++) {
      try {
        await options.database.query(sql, params);
        options.onBatchWritten?.(batch.length, options.clock.now() - started);
        for (const entry of batch) entry.resolve();
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

  function pump(): void {
    while (writesInFlight < options.concurrentWrites && pending.length > 0) {
      const batch = pending.splice(0, options.batchMaxRecords);
      writesInFlight++;
      recordsInFlight += batch.length;
      wakeRoomWaiters();
      void writeBatch(batch).finally(() => {
        writesInFlight--;
        recordsInFlight -= batch.length;
        pump();
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
      pump();
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
