import Anthropic from '@anthropic-ai/sdk';
import OpenAI, { toFile } from 'openai';
import { afterAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/storage/db/index.ts';
import { type Clock, systemClock } from '../src/support/index.ts';
import { createTemporaryDatabase, postgresAvailable, type TemporaryDatabase } from './support/services.ts';
import { createTenant, startTestApp } from './support/test-app.ts';

/**
 * Batches survive their process: a platform closed mid-batch leaves every finished line's result
 * in the store, and a new platform on the same database resumes the batch without running any
 * line twice. A batch whose completion window passes (an injected clock) ends `expired`, its
 * remaining lines in the error file with `batch_expired`.
 */
const usePostgres = await postgresAvailable();
const backends = usePostgres ? (['pglite', 'postgres'] as const) : (['pglite'] as const);
const temporaries: TemporaryDatabase[] = [];

afterAll(async () => {
  for (const temporary of temporaries) await temporary.drop();
});

const config = {
  providers: { sim: { fault_directives: true } },
  batches: { max_concurrency: 2, line_attempts: 1 },
};

const chatLine = (index: number, content: string) =>
  JSON.stringify({
    custom_id: `line-${index}`,
    method: 'POST',
    url: '/v1/chat/completions',
    body: { model: 'sim/fast', max_tokens: 16, messages: [{ role: 'user', content }] },
  });

/** One store both platforms open, closed by the test (not by either app). */
async function openShared(
  backend: 'pglite' | 'postgres',
): Promise<{ database: Database; close(): Promise<void> }> {
  let databaseUrl: string | undefined;
  if (backend === 'postgres') {
    const temporary = await createTemporaryDatabase();
    temporaries.push(temporary);
    databaseUrl = temporary.url;
  }
  const database = await openDatabase({
    ...(databaseUrl ? { databaseUrl } : {}),
    dataDirectory: 'memory://',
  });
  return { database, close: () => database.close() };
}

async function lineStatuses(database: Database, batchId: string): Promise<Record<string, number>> {
  const result = await database.query<{ status: string; count: number }>(
    'SELECT status, count(*)::integer AS count FROM batch_lines WHERE batch_id = $1 GROUP BY status',
    [batchId],
  );
  return Object.fromEntries(result.rows.map((row) => [row.status, row.count]));
}

describe.each(backends)('batch durability (%s)', (backend) => {
  it('resumes a batch after its platform closed mid-batch, running no line twice', async () => {
    const shared = await openShared(backend);
    const first = await startTestApp({ listen: true, config, database: shared.database });
    const tenant = await createTenant(first, { name: 'durable tenant' });
    const lineCount = 16;
    const client = new OpenAI({ apiKey: tenant.secret, baseURL: `${first.baseUrl}/v1`, maxRetries: 0 });
    const input = Array.from({ length: lineCount }, (_, index) =>
      chatLine(index, `[[sim:latency_ms=60]] Line ${index}.`),
    );
    const file = await client.files.create({
      file: await toFile(Buffer.from(input.join('\n')), 'durable.jsonl'),
      purpose: 'batch',
    });
    const batch = await client.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    await expect
      .poll(async () => (await lineStatuses(first.database, batch.id)).succeeded ?? 0, {
        timeout: 10_000,
        interval: 10,
      })
      .toBeGreaterThanOrEqual(3);
    await first.close();

    // Closing waited for the lines in flight: each wrote its result, none is left running.
    const atClose = await lineStatuses(first.database, batch.id);
    expect(atClose.running ?? 0).toBe(0);
    expect(atClose.pending ?? 0).toBeGreaterThan(0);
    expect((await first.database.query('SELECT status FROM batches WHERE id = $1', [batch.id])).rows).toEqual(
      [{ status: 'in_progress' }],
    );

    const second = await startTestApp({ listen: true, config, database: shared.database });
    try {
      const resumed = new OpenAI({ apiKey: tenant.secret, baseURL: `${second.baseUrl}/v1`, maxRetries: 0 });
      await expect
        .poll(async () => (await resumed.batches.retrieve(batch.id)).status, {
          timeout: 20_000,
          interval: 50,
        })
        .toBe('completed');
      const done = await resumed.batches.retrieve(batch.id);
      expect(done.request_counts).toEqual({ total: lineCount, completed: lineCount, failed: 0 });
      const output = (await (await resumed.files.content(done.output_file_id!)).text()).trim().split('\n');
      expect(output.map((line) => JSON.parse(line).custom_id)).toEqual(
        input.map((_, index) => `line-${index}`),
      );

      // Each run of a line writes one usage record under its own request id: one per line means no line ran twice.
      const runs = await second.database.query<{ request_id: string }>(
        'SELECT request_id FROM usage_records WHERE request_id LIKE $1',
        [`req_${batch.id}_%`],
      );
      const perLine = new Map<string, number>();
      for (const { request_id: requestId } of runs.rows) {
        const index = requestId.slice(`req_${batch.id}_`.length).split('_')[0] ?? '';
        perLine.set(index, (perLine.get(index) ?? 0) + 1);
      }
      expect(perLine.size).toBe(lineCount);
      expect([...perLine.values()].every((count) => count === 1)).toBe(true);
    } finally {
      await second.close();
      await shared.close();
    }
  }, 60_000);

  it('tries a line that meets 429 again (batches.line_attempts), then keeps the 429 as its result', async () => {
    const shared = await openShared(backend);
    const testApp = await startTestApp({
      listen: true,
      config: { ...config, batches: { max_concurrency: 2, line_attempts: 2 } },
      database: shared.database,
    });
    try {
      const tenant = await createTenant(testApp, { name: 'retried tenant' });
      const client = new OpenAI({ apiKey: tenant.secret, baseURL: `${testApp.baseUrl}/v1`, maxRetries: 0 });
      const file = await client.files.create({
        file: await toFile(
          Buffer.from([chatLine(0, 'fine'), chatLine(1, '[[sim:error=429]] busy')].join('\n')),
          'busy.jsonl',
        ),
        purpose: 'batch',
      });
      const created = await client.batches.create({
        input_file_id: file.id,
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
      });
      await expect
        .poll(async () => (await client.batches.retrieve(created.id)).status, {
          timeout: 20_000,
          interval: 50,
        })
        .toBe('completed');
      const runs = await testApp.database.query<{ request_id: string; status: number }>(
        'SELECT request_id, status FROM usage_records WHERE request_id LIKE $1 ORDER BY created_at',
        [`req_${created.id}_1_%`],
      );
      expect(runs.rows.map((row) => row.status)).toEqual([429, 429]);
      expect(new Set(runs.rows.map((row) => row.request_id)).size).toBe(2);
      const line = await testApp.database.query<{ status: string; status_code: number }>(
        'SELECT status, status_code FROM batch_lines WHERE batch_id = $1 AND line_index = 1',
        [created.id],
      );
      expect(line.rows).toEqual([{ status: 'errored', status_code: 429 }]);
    } finally {
      await testApp.close();
      await shared.close();
    }
  }, 60_000);

  it('stores and cancels a batch of 5,000 lines (statements of 1,000 rows each)', async () => {
    const shared = await openShared(backend);
    const testApp = await startTestApp({
      listen: true,
      config,
      batches: { runWorker: false },
      database: shared.database,
    });
    try {
      const tenant = await createTenant(testApp, { name: 'large tenant' });
      const client = new OpenAI({ apiKey: tenant.secret, baseURL: `${testApp.baseUrl}/v1`, maxRetries: 0 });
      const input = Array.from({ length: 5000 }, (_, index) => chatLine(index, `Line ${index}.`)).join('\n');
      const file = await client.files.create({
        file: await toFile(Buffer.from(input), 'large.jsonl'),
        purpose: 'batch',
      });
      const created = await client.batches.create({
        input_file_id: file.id,
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
      });
      expect(created.request_counts).toMatchObject({ total: 5000, completed: 0, failed: 0 });
      const cancelled = await client.batches.cancel(created.id);
      expect(cancelled.status).toBe('cancelled');
      const lines = (await (await client.files.content(cancelled.error_file_id!)).text()).trim().split('\n');
      expect(lines).toHaveLength(5000);
      expect(JSON.parse(lines[4999]!)).toMatchObject({
        custom_id: 'line-4999',
        error: { code: 'batch_cancelled' },
      });
    } finally {
      await testApp.close();
      await shared.close();
    }
  }, 120_000);

  it('expires a batch whose window passed: remaining lines go to the error file as batch_expired', async () => {
    let offsetMs = 0;
    const clock: Clock = {
      now: () => systemClock.now() + offsetMs,
      sleep: (ms, signal) => systemClock.sleep(ms, signal),
    };
    const shared = await openShared(backend);
    // No batch worker: the lines stay pending while the clock moves past the window.
    const testApp = await startTestApp({
      listen: true,
      config,
      clock,
      batches: { runWorker: false },
      database: shared.database,
    });
    try {
      const tenant = await createTenant(testApp, { name: 'expiring tenant' });
      const client = new OpenAI({ apiKey: tenant.secret, baseURL: `${testApp.baseUrl}/v1`, maxRetries: 0 });
      const file = await client.files.create({
        file: await toFile(
          Buffer.from([chatLine(0, 'a'), chatLine(1, 'b'), chatLine(2, 'c')].join('\n')),
          'late.jsonl',
        ),
        purpose: 'batch',
      });
      const created = await client.batches.create({
        input_file_id: file.id,
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
      });
      const anthropic = new Anthropic({ apiKey: tenant.secret, baseURL: testApp.baseUrl, maxRetries: 0 });
      const messageBatch = await anthropic.messages.batches.create({
        requests: [
          {
            custom_id: 'late',
            params: { model: 'sim/fast', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] },
          },
        ],
      });

      await testApp.platform.batches.sweep();
      expect((await client.batches.retrieve(created.id)).status).toBe('in_progress');

      offsetMs = 24 * 3_600_000 + 1000;
      await testApp.platform.batches.sweep();
      const expired = await client.batches.retrieve(created.id);
      expect(expired.status).toBe('expired');
      expect(expired.expired_at).toBeGreaterThanOrEqual(expired.expires_at!);
      expect(expired.request_counts).toEqual({ total: 3, completed: 0, failed: 3 });
      expect(expired.output_file_id).toBeNull();
      const lines = (await (await client.files.content(expired.error_file_id!)).text()).trim().split('\n');
      expect(lines.map((line) => JSON.parse(line))).toEqual(
        [0, 1, 2].map((index) =>
          expect.objectContaining({
            custom_id: `line-${index}`,
            response: null,
            error: expect.objectContaining({ code: 'batch_expired' }),
          }),
        ),
      );

      const ended = await anthropic.messages.batches.retrieve(messageBatch.id);
      expect(ended.processing_status).toBe('ended');
      expect(ended.request_counts).toMatchObject({ processing: 0, expired: 1 });
      const results = [];
      for await (const entry of await anthropic.messages.batches.results(messageBatch.id))
        results.push(entry);
      expect(results).toEqual([{ custom_id: 'late', result: { type: 'expired' } }]);
    } finally {
      await testApp.close();
      await shared.close();
    }
  }, 60_000);
});
