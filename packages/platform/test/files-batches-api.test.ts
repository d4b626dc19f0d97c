import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTemporaryDatabase,
  postgresAvailable,
  redisAvailable,
  type TemporaryDatabase,
  testRedisUrl,
  uniqueRedisPrefix,
} from './support/services.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * The official `openai` client's Files and Batches APIs against the running app (real HTTP on
 * loopback), over the simulated models: upload → batch → poll → output and error files read back
 * line by line, lists, deletes, cancel, another organisation's 404s, bad and oversized files. On
 * PGlite and PostgreSQL with the in-process queue, and once on BullMQ (Redis) when reachable.
 */
const usePostgres = await postgresAvailable();
const useRedis = await redisAvailable();
const setups = [
  { label: 'pglite, memory queue', postgres: false, redis: false },
  ...(usePostgres ? [{ label: 'postgres, memory queue', postgres: true, redis: false }] : []),
  ...(useRedis ? [{ label: 'pglite, bullmq queue', postgres: false, redis: true }] : []),
];

const maximumBytes = 16_384;

type Line = { custom_id: string; method: string; url: string; body: Record<string, unknown> };

const chatLine = (customId: string, content: string, extra: Record<string, unknown> = {}): Line => ({
  custom_id: customId,
  method: 'POST',
  url: '/v1/chat/completions',
  body: { model: 'sim/fast', messages: [{ role: 'user', content }], max_tokens: 16, ...extra },
});

const jsonl = (lines: readonly unknown[]) => `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`;

type OutputLine = {
  id: string;
  custom_id: string;
  response: { status_code: number; request_id: string; body: Record<string, unknown> } | null;
  error: { code: string; message: string } | null;
};

const parseLines = (text: string): OutputLine[] =>
  text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as OutputLine);

async function waitForStatus(
  client: OpenAI,
  id: string,
  statuses: readonly string[],
  timeoutMs = 20_000,
): Promise<OpenAI.Batches.Batch> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const batch = await client.batches.retrieve(id);
    if (statuses.includes(batch.status)) return batch;
    if (Date.now() > deadline) throw new Error(`batch ${id} still ${batch.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(setups)('files and batches through the openai client ($label)', (setup) => {
  let temporary: TemporaryDatabase | undefined;
  let testApp: TestApp;
  let client: OpenAI;
  let stranger: OpenAI;

  beforeAll(async () => {
    temporary = setup.postgres ? await createTemporaryDatabase() : undefined;
    testApp = await startTestApp({
      listen: true,
      ...(temporary ? { databaseUrl: temporary.url } : {}),
      ...(setup.redis ? { redisUrl: testRedisUrl, redisPrefix: uniqueRedisPrefix('batches') } : {}),
      config: {
        providers: { sim: { fault_directives: true } },
        files: { max_bytes: maximumBytes, max_lines: 50 },
        // A batch price for sim/fast: half of its interactive price, as OpenAI's Batch API charges.
        prices: {
          'sim/fast': { input_per_million: '0.10', output_per_million: '0.40', batch_discount_percent: 50 },
        },
        batches: { max_concurrency: 2, line_attempts: 1 },
      },
    });
    const tenant = await createTenant(testApp, { name: 'batch tenant' });
    const other = await createTenant(testApp, { name: 'another tenant' });
    const options = { baseURL: `${testApp.baseUrl}/v1`, maxRetries: 0 };
    client = new OpenAI({ ...options, apiKey: tenant.secret });
    stranger = new OpenAI({ ...options, apiKey: other.secret });
  }, 60_000);

  afterAll(async () => {
    await testApp?.close();
    await temporary?.drop();
  });

  const upload = async (lines: readonly unknown[], purpose: 'batch' | 'user_data' = 'batch') =>
    client.files.create({ file: await toFile(Buffer.from(jsonl(lines)), 'input.jsonl'), purpose });

  it('runs a chat batch to completed, with an output file and an error file read back line by line', async () => {
    const file = await upload([
      chatLine('first', 'Say hello.'),
      {
        custom_id: 'bad-body',
        method: 'POST',
        url: '/v1/chat/completions',
        body: { model: 'sim/fast', messages: 'no' },
      },
      chatLine('unknown-model', 'Hi.', { model: 'sim/does-not-exist' }),
      chatLine('second', 'Say goodbye.'),
    ]);
    expect(file).toMatchObject({
      object: 'file',
      purpose: 'batch',
      filename: 'input.jsonl',
      status: 'processed',
    });
    expect(file.id).toMatch(/^file-/);
    expect(file.bytes).toBeGreaterThan(0);

    const created = await client.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
      metadata: { project: 'nightly' },
    });
    expect(created).toMatchObject({
      object: 'batch',
      endpoint: '/v1/chat/completions',
      input_file_id: file.id,
      completion_window: '24h',
      metadata: { project: 'nightly' },
    });
    expect(created.id).toMatch(/^batch_/);
    expect(['validating', 'in_progress', 'finalizing', 'completed']).toContain(created.status);

    const batch = await waitForStatus(client, created.id, ['completed', 'failed', 'expired', 'cancelled']);
    expect(batch.status).toBe('completed');
    expect(batch.request_counts).toEqual({ total: 4, completed: 2, failed: 2 });
    expect(batch.model).toBe('sim/fast');
    expect(batch.in_progress_at).toEqual(expect.any(Number));
    expect(batch.finalizing_at).toEqual(expect.any(Number));
    expect(batch.completed_at).toBeGreaterThanOrEqual(batch.created_at);
    expect(batch.expires_at).toBe(batch.created_at + 86_400);
    expect(batch.output_file_id).toMatch(/^file-/);
    expect(batch.error_file_id).toMatch(/^file-/);

    const output = parseLines(await (await client.files.content(batch.output_file_id!)).text());
    expect(output.map((line) => line.custom_id)).toEqual(['first', 'second']);
    for (const line of output) {
      expect(line.id).toMatch(/^batch_req_/);
      expect(line.error).toBeNull();
      expect(line.response?.status_code).toBe(200);
      expect(line.response?.request_id).toMatch(new RegExp(`^req_${batch.id}_\\d+_`));
      expect(line.response?.body).toMatchObject({ object: 'chat.completion', model: 'sim/fast' });
      const choices = line.response?.body.choices as Array<{ message: { content: string } }>;
      expect(choices[0]?.message.content.length).toBeGreaterThan(0);
    }

    const failed = parseLines(await (await client.files.content(batch.error_file_id!)).text());
    expect(failed.map((line) => line.custom_id)).toEqual(['bad-body', 'unknown-model']);
    expect(failed[0]?.response?.status_code).toBe(400);
    expect(failed[0]?.response?.body).toMatchObject({
      error: { param: 'messages', type: 'invalid_request_error' },
    });
    expect(failed[1]?.response?.status_code).toBe(404);
    expect(failed[1]?.response?.body).toMatchObject({ error: { code: 'MODEL_NOT_FOUND', param: 'model' } });

    const outputFile = await client.files.retrieve(batch.output_file_id!);
    expect(outputFile).toMatchObject({ purpose: 'batch_output', filename: `${batch.id}_output.jsonl` });

    // Every line, served or refused, is one usage record of the batch's organisation, tagged by its request id.
    const usage = await testApp.database.query<{ organization_id: string; status: number }>(
      `SELECT organization_id, status FROM usage_records WHERE request_id LIKE $1 ORDER BY status`,
      [`req_${batch.id}_%`],
    );
    expect(usage.rows.map((row) => row.status)).toEqual([200, 200, 400, 404]);

    // Served lines are priced at the batch price: half of 0.10 / 0.40 USD per million tokens.
    const served = await testApp.database.query<{
      prompt_tokens: number;
      completion_tokens: number;
      cost_usd: string;
    }>('SELECT prompt_tokens, completion_tokens, cost_usd FROM usage_records WHERE request_id = $1', [
      output[0]?.response?.request_id,
    ]);
    const row = served.rows[0]!;
    expect(row.prompt_tokens).toBeGreaterThan(0);
    // The batch's usage is the sum of its served lines' tokens.
    const tokens = await testApp.database.query<{ input: number; output: number }>(
      `SELECT sum(prompt_tokens)::integer AS input, sum(completion_tokens)::integer AS output
         FROM usage_records WHERE request_id LIKE $1 AND status = 200`,
      [`req_${batch.id}_%`],
    );
    expect(batch.usage).toMatchObject({
      input_tokens: tokens.rows[0]?.input,
      output_tokens: tokens.rows[0]?.output,
      total_tokens: (tokens.rows[0]?.input ?? 0) + (tokens.rows[0]?.output ?? 0),
    });
    const fullPicoUsd = row.prompt_tokens * 100_000 + row.completion_tokens * 400_000;
    expect(Math.round(Number(row.cost_usd) * 1e12)).toBe(Math.floor(fullPicoUsd / 2));
  });

  it('runs an embeddings batch', async () => {
    const file = await upload([
      { custom_id: 'a', method: 'POST', url: '/v1/embeddings', body: { model: 'sim/embed', input: 'hello' } },
      {
        custom_id: 'b',
        method: 'POST',
        url: '/v1/embeddings',
        body: { model: 'sim/embed', input: ['x', 'y'] },
      },
    ]);
    const created = await client.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/embeddings',
      completion_window: '24h',
    });
    const batch = await waitForStatus(client, created.id, ['completed', 'failed']);
    expect(batch.request_counts).toEqual({ total: 2, completed: 2, failed: 0 });
    expect(batch.error_file_id).toBeNull();
    const output = parseLines(await (await client.files.content(batch.output_file_id!)).text());
    expect(output.map((line) => (line.response!.body.data as unknown[]).length)).toEqual([1, 2]);
    expect(output[0]?.response?.body).toMatchObject({ object: 'list', model: 'sim/embed' });
  });

  it('runs a Responses batch', async () => {
    const file = await upload([
      {
        custom_id: 'r1',
        method: 'POST',
        url: '/v1/responses',
        body: { model: 'sim/fast', input: 'Say hi.' },
      },
      {
        custom_id: 'r2',
        method: 'POST',
        url: '/v1/responses',
        body: { model: 'sim/fast', input: 'Hi.', stream: true },
      },
    ]);
    const created = await client.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/responses',
      completion_window: '24h',
    });
    const batch = await waitForStatus(client, created.id, ['completed', 'failed']);
    expect(batch.request_counts).toEqual({ total: 2, completed: 1, failed: 1 });
    const [output] = parseLines(await (await client.files.content(batch.output_file_id!)).text());
    expect(output?.response?.body).toMatchObject({
      object: 'response',
      status: 'completed',
      model: 'sim/fast',
    });
    const [failed] = parseLines(await (await client.files.content(batch.error_file_id!)).text());
    expect(failed?.response?.body).toMatchObject({ error: { param: 'stream' } });
  });

  it('fails a batch whose lines call another endpoint, naming the line', async () => {
    const file = await upload([chatLine('chat', 'Hi.')]);
    const batch = await client.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/embeddings',
      completion_window: '24h',
    });
    expect(batch.status).toBe('failed');
    expect(batch.failed_at).toEqual(expect.any(Number));
    expect(batch.errors?.data).toEqual([
      expect.objectContaining({ code: 'mismatched_endpoint', line: 1, param: 'url' }),
    ]);
  });

  it('cancels a batch: in-flight lines finish, the rest are cancelled, the output holds what completed', async () => {
    const lines = Array.from({ length: 12 }, (_, index) =>
      chatLine(`slow-${index}`, `[[sim:latency_ms=150]] Line ${index}.`),
    );
    const file = await upload(lines);
    const created = await client.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    const cancelling = await client.batches.cancel(created.id);
    expect(['cancelling', 'cancelled']).toContain(cancelling.status);
    expect(cancelling.cancelling_at).toEqual(expect.any(Number));
    const batch = await waitForStatus(client, created.id, ['cancelled']);
    const counts = batch.request_counts!;
    expect(batch.cancelled_at).toEqual(expect.any(Number));
    expect(counts.total).toBe(12);
    expect(counts.failed).toBe(0);
    expect(counts.completed).toBeLessThan(12);
    const completed = batch.output_file_id
      ? parseLines(await (await client.files.content(batch.output_file_id)).text())
      : [];
    expect(completed).toHaveLength(counts.completed);
    expect(completed.every((line) => line.response?.status_code === 200)).toBe(true);
    const cancelled = parseLines(await (await client.files.content(batch.error_file_id!)).text());
    expect(cancelled.length + completed.length).toBe(12);
    expect(cancelled.every((line) => line.error?.code === 'batch_cancelled' && line.response === null)).toBe(
      true,
    );
    await expect(client.batches.cancel(created.id)).resolves.toMatchObject({ status: 'cancelled' });
  });

  it('stops the lines of a key revoked after its batch started: each fails with a 401', async () => {
    const owner = await createTenant(testApp, { name: 'revoked tenant' });
    const revocable = new OpenAI({ baseURL: `${testApp.baseUrl}/v1`, maxRetries: 0, apiKey: owner.secret });
    const lines = Array.from({ length: 8 }, (_, index) =>
      chatLine(`late-${index}`, `[[sim:latency_ms=100]] ${index}`),
    );
    const file = await revocable.files.create({
      file: await toFile(Buffer.from(jsonl(lines)), 'revoked.jsonl'),
      purpose: 'batch',
    });
    const created = await revocable.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    const revoked = await testApp.app.inject({
      method: 'DELETE',
      url: `/v1/admin/organizations/${owner.organizationId}/keys/${owner.keyId}`,
      headers: { authorization: `Bearer ${testApp.adminKey}` },
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    await expect
      .poll(
        async () =>
          (
            await testApp.database.query<{ status: string }>('SELECT status FROM batches WHERE id = $1', [
              created.id,
            ])
          ).rows[0]?.status,
        { timeout: 20_000, interval: 50 },
      )
      .toBe('completed');
    const statuses = await testApp.database.query<{ status_code: number }>(
      'SELECT status_code FROM batch_lines WHERE batch_id = $1 ORDER BY line_index',
      [created.id],
    );
    const codes = statuses.rows.map((row) => row.status_code);
    expect(codes).toContain(401);
    expect(codes.every((code) => code === 200 || code === 401)).toBe(true);
  });

  it("admits every line like an interactive call: the key's rate limit refuses lines beyond it with 429", async () => {
    const limited = await createTenant(testApp, { name: 'rate limited tenant' });
    const limit = await testApp.app.inject({
      method: 'PUT',
      url: `/v1/admin/organizations/${limited.organizationId}/keys/${limited.keyId}/rate-limits`,
      headers: { authorization: `Bearer ${testApp.adminKey}` },
      payload: { requests_per_minute: 2 },
    });
    expect(limit.statusCode, limit.body).toBe(200);
    const owner = new OpenAI({ baseURL: `${testApp.baseUrl}/v1`, maxRetries: 0, apiKey: limited.secret });
    const file = await owner.files.create({
      file: await toFile(
        Buffer.from(jsonl(Array.from({ length: 5 }, (_, index) => chatLine(`r-${index}`, `Hi ${index}.`)))),
        'limited.jsonl',
      ),
      purpose: 'batch',
    });
    const created = await owner.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    const batch = await waitForStatus(owner, created.id, ['completed']);
    // Two model calls a minute: two lines are served, the other three meet the key's limit.
    expect(batch.request_counts).toEqual({ total: 5, completed: 2, failed: 3 });
    const failed = parseLines(await (await owner.files.content(batch.error_file_id!)).text());
    expect(failed.map((line) => line.response?.status_code)).toEqual([429, 429, 429]);
    expect(failed[0]?.response?.body).toMatchObject({ error: { type: 'rate_limit_error' } });
  });

  it('refuses to cancel a batch that has completed', async () => {
    const file = await upload([chatLine('one', 'Hi.')]);
    const created = await client.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    await waitForStatus(client, created.id, ['completed']);
    await expect(client.batches.cancel(created.id)).rejects.toMatchObject({ status: 409 });
  });

  it('lists, retrieves and deletes files, with the purpose filter and cursors', async () => {
    const data = await client.files.create({
      file: await toFile(Buffer.from('{"anything": true}'), 'notes.json'),
      purpose: 'user_data',
    });
    const listed = await client.files.list({ purpose: 'user_data' });
    expect(listed.data.map((file) => file.id)).toContain(data.id);
    expect(listed.data.every((file) => file.purpose === 'user_data')).toBe(true);
    const all = await client.files.list({ limit: 2, order: 'asc' });
    expect(all.data).toHaveLength(2);
    expect(all.has_more).toBe(true);
    const next = await client.files.list({ limit: 2, order: 'asc', after: all.data[1]!.id });
    expect(next.data.map((file) => file.id)).not.toContain(all.data[0]!.id);
    expect(next.data[0]!.created_at).toBeGreaterThanOrEqual(all.data[1]!.created_at);
    expect(await client.files.retrieve(data.id)).toMatchObject({
      id: data.id,
      bytes: 18,
      filename: 'notes.json',
    });
    expect(await (await client.files.content(data.id)).text()).toBe('{"anything": true}');
    expect(await client.files.delete(data.id)).toEqual({ id: data.id, object: 'file', deleted: true });
    await expect(client.files.retrieve(data.id)).rejects.toMatchObject({ status: 404 });
    await expect(client.files.delete(data.id)).rejects.toMatchObject({ status: 404 });
  });

  it("hides one organisation's files and batches from another (404)", async () => {
    const file = await upload([chatLine('mine', 'Hi.')]);
    const batch = await client.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    await expect(stranger.files.retrieve(file.id)).rejects.toMatchObject({ status: 404 });
    await expect(stranger.files.content(file.id)).rejects.toMatchObject({ status: 404 });
    await expect(stranger.files.delete(file.id)).rejects.toMatchObject({ status: 404 });
    await expect(stranger.batches.retrieve(batch.id)).rejects.toMatchObject({ status: 404 });
    await expect(stranger.batches.cancel(batch.id)).rejects.toMatchObject({ status: 404 });
    await expect(
      stranger.batches.create({
        input_file_id: file.id,
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
      }),
    ).rejects.toMatchObject({ status: 404, param: 'input_file_id' });
    expect((await stranger.files.list()).data).toEqual([]);
    expect((await stranger.batches.list()).data).toEqual([]);
    expect((await client.batches.list()).data.map((entry) => entry.id)).toContain(batch.id);
    await waitForStatus(client, batch.id, ['completed']);
  });

  it('refuses bad JSONL with a 400 naming the line, and an oversized file with a 413', async () => {
    const bad = Buffer.from(`${JSON.stringify(chatLine('ok', 'Hi.'))}\n{"custom_id": "broken",\n`);
    await expect(
      client.files.create({ file: await toFile(bad, 'bad.jsonl'), purpose: 'batch' }),
    ).rejects.toMatchObject({
      status: 400,
      param: 'file',
      message: expect.stringContaining('Line 2'),
    });
    const repeated = jsonl([chatLine('same', 'a'), chatLine('other', 'b'), chatLine('same', 'c')]);
    await expect(
      client.files.create({ file: await toFile(Buffer.from(repeated), 'repeated.jsonl'), purpose: 'batch' }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/Line 3.*repeats line 1/) });
    const wrongUrl = jsonl([{ ...chatLine('x', 'a'), url: '/v1/images' }]);
    await expect(
      client.files.create({ file: await toFile(Buffer.from(wrongUrl), 'url.jsonl'), purpose: 'batch' }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining("Line 1 of the file: 'url'") });
    const huge = Buffer.alloc(maximumBytes + 1, 'x');
    await expect(
      client.files.create({ file: await toFile(huge, 'huge.jsonl'), purpose: 'user_data' }),
    ).rejects.toMatchObject({
      status: 413,
      code: 'FILE_TOO_LARGE',
    });
    await expect(
      client.files.create({
        file: await toFile(Buffer.from('{}'), 'x.json'),
        purpose: 'fine-tune' as 'batch',
      }),
    ).rejects.toMatchObject({ status: 400, param: 'purpose' });
    const json = await fetch(`${testApp.baseUrl}/v1/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${client.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ purpose: 'batch' }),
    });
    expect(json.status).toBe(415);
    // Multipart parsing belongs to the files routes only: another route still refuses a form.
    const form = new FormData();
    form.append('model', 'sim/fast');
    const chat = await fetch(`${testApp.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${client.apiKey}` },
      body: form,
    });
    expect(chat.status).toBe(415);
    expect(((await json.json()) as { error: unknown }).error).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      param: 'file',
    });
  });
});
