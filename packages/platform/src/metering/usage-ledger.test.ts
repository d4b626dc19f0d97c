import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Database, migrateDatabase, openDatabase, type Queryable } from '../storage/db/index.ts';
import { systemClock } from '../support/index.ts';
import { createUsageLedger } from './usage-ledger.ts';
import type { UsageRecord } from './usage-record.ts';

let database: Database;

beforeAll(async () => {
  database = await openDatabase({ dataDirectory: 'memory://' });
  await migrateDatabase(database);
});

beforeEach(async () => {
  await database.query('TRUNCATE usage_records');
});

afterAll(async () => {
  await database.close();
});

function usageRecord(requestId: string): UsageRecord {
  return {
    requestId,
    organizationId: 'org_test',
    apiKeyId: 'key_test',
    endUser: null,
    endpoint: 'chat.completions',
    requestedModel: 'sim/fast',
    provider: 'sim',
    deployment: 'sim/fast',
    servedModel: 'sim/fast',
    promptTokens: 10,
    completionTokens: 5,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    costUsd: '0.000003000000',
    priceVersion: 'test',
    unpriced: false,
    usageSource: 'provider',
    latencyMs: 1.5,
    timeToFirstTokenMs: null,
    streamed: false,
    status: 200,
    errorCode: null,
    modelGroup: 'sim/fast',
    attempts: 1,
    fallbackReason: null,
    cacheStatus: null,
    cacheSavedUsd: '0',
    createdAt: new Date(),
  };
}

/** The real database behind a wrapper that can delay or fail statements, to exercise backpressure and retries. */
function instrumented(inner: Database, behaviour: { delayMs?: number; failuresLeft?: number }) {
  const statements: number[] = [];
  const wrapper: Database = {
    backend: inner.backend,
    singleProcess: inner.singleProcess,
    concurrentStatements: inner.concurrentStatements,
    scope: inner.scope,
    isolated: () => inner.isolated(),
    forOrganization: (organizationId) => inner.forOrganization(organizationId),
    forPlatform: (reason) => inner.forPlatform(reason),
    ping: () => inner.ping(),
    connections: () => inner.connections(),
    close: () => inner.close(),
    transaction: <T>(work: (transaction: Queryable) => Promise<T>) => inner.transaction(work),
    async query(sql, params) {
      if (behaviour.delayMs) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
      if (behaviour.failuresLeft && behaviour.failuresLeft > 0) {
        behaviour.failuresLeft--;
        throw new Error('connection reset');
      }
      statements.push((params ?? []).length);
      return inner.query(sql, params);
    },
  };
  return { wrapper, statements };
}

async function countRows(): Promise<number> {
  const result = await database.query<{ count: number }>('SELECT count(*)::int8 AS count FROM usage_records');
  return result.rows[0]!.count;
}

describe('usage ledger (group commit)', () => {
  it('writes concurrent records in shared INSERTs, each resolved only after its commit', async () => {
    const { wrapper, statements } = instrumented(database, { delayMs: 5 });
    const ledger = createUsageLedger({
      database: wrapper,
      clock: systemClock,
      batchMaxRecords: 50,
      queueMaxRecords: 1000,
      concurrentWrites: 1,
    });
    await Promise.all(Array.from({ length: 200 }, (_, index) => ledger.record(usageRecord(`req_${index}`))));
    expect(await countRows()).toBe(200);
    // All arrive in one event-loop turn, so they go 50 at a time from the first INSERT on.
    expect(statements.length).toBe(4);
  });

  it('cuts a batch at the end of the turn, so a store that blocks the thread still gets full batches', async () => {
    const { wrapper, statements } = instrumented(database, {});
    const ledger = createUsageLedger({
      database: wrapper,
      clock: systemClock,
      batchMaxRecords: 500,
      queueMaxRecords: 1000,
      concurrentWrites: 1,
    });
    // Records arriving over several microtasks of one turn, as requests finishing together do.
    const writes: Promise<void>[] = [];
    for (let index = 0; index < 30; index++) {
      await Promise.resolve();
      writes.push(ledger.record(usageRecord(`req_turn_${index}`)));
    }
    await Promise.all(writes);
    expect(statements.length).toBe(1);
    expect(await countRows()).toBe(30);
  });

  it('bounds the queue: beyond queueMaxRecords, record() waits instead of growing memory', async () => {
    const { wrapper } = instrumented(database, { delayMs: 20 });
    const ledger = createUsageLedger({
      database: wrapper,
      clock: systemClock,
      batchMaxRecords: 5,
      queueMaxRecords: 10,
      concurrentWrites: 1,
    });
    let maxDepth = 0;
    let maxWaiting = 0;
    const writes = Array.from({ length: 60 }, (_, index) => ledger.record(usageRecord(`req_bp_${index}`)));
    const sampler = setInterval(() => {
      maxDepth = Math.max(maxDepth, ledger.depth());
      maxWaiting = Math.max(maxWaiting, ledger.waiting());
    }, 1);
    await Promise.all(writes);
    clearInterval(sampler);
    expect(maxDepth).toBeLessThanOrEqual(15);
    expect(maxWaiting).toBeGreaterThan(0);
    expect(await countRows()).toBe(60);
  });

  it('retries a transient failure and writes each record once', async () => {
    const behaviour = { failuresLeft: 2 };
    const { wrapper } = instrumented(database, behaviour);
    const errors: unknown[] = [];
    const ledger = createUsageLedger({
      database: wrapper,
      clock: systemClock,
      batchMaxRecords: 50,
      queueMaxRecords: 100,
      concurrentWrites: 1,
      onWriteError: (error) => errors.push(error),
    });
    await Promise.all([ledger.record(usageRecord('req_retry_a')), ledger.record(usageRecord('req_retry_b'))]);
    expect(errors).toHaveLength(2);
    expect(await countRows()).toBe(2);
  });

  it('rejects with SERVICE_UNAVAILABLE when the store stays down, so the request is not completed', async () => {
    const { wrapper } = instrumented(database, { failuresLeft: 100 });
    const ledger = createUsageLedger({
      database: wrapper,
      clock: { now: () => Date.now(), sleep: async () => {} },
      batchMaxRecords: 50,
      queueMaxRecords: 100,
      concurrentWrites: 1,
      writeAttempts: 3,
    });
    await expect(ledger.record(usageRecord('req_down'))).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      status: 503,
    });
  });

  it('is idempotent per request id, and close() flushes what is pending', async () => {
    const ledger = createUsageLedger({
      database,
      clock: systemClock,
      batchMaxRecords: 50,
      queueMaxRecords: 100,
      concurrentWrites: 1,
    });
    const pending = [ledger.record(usageRecord('req_same')), ledger.record(usageRecord('req_same'))];
    for (let index = 0; index < 20; index++) pending.push(ledger.record(usageRecord(`req_close_${index}`)));
    await ledger.close();
    await Promise.all(pending);
    expect(await countRows()).toBe(21);
    await expect(ledger.record(usageRecord('req_late'))).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
    });
  });
});
