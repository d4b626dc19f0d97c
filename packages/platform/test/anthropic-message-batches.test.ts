import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemporaryDatabase, postgresAvailable, type TemporaryDatabase } from './support/services.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * The official `@anthropic-ai/sdk` client's Message Batches API against the running app (real
 * HTTP on loopback): create, retrieve, list, results (JSONL, one per request in order), cancel and
 * delete, errors in Anthropic's shape, and another organisation's 404s. On PGlite, and on
 * PostgreSQL too when one is reachable.
 */
const usePostgres = await postgresAvailable();
const backends = usePostgres ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

type Params = Anthropic.Messages.MessageCreateParamsNonStreaming;

const params = (content: string, extra: Partial<Params> = {}): Params => ({
  model: 'sim/fast',
  max_tokens: 16,
  messages: [{ role: 'user', content }],
  ...extra,
});

async function waitUntilEnded(client: Anthropic, id: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const batch = await client.messages.batches.retrieve(id);
    if (batch.processing_status === 'ended') return batch;
    if (Date.now() > deadline) throw new Error(`message batch ${id} still ${batch.processing_status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function resultsOf(client: Anthropic, id: string) {
  const results: Anthropic.Messages.Batches.MessageBatchIndividualResponse[] = [];
  for await (const entry of await client.messages.batches.results(id)) results.push(entry);
  return results;
}

describe.each(backends)('message batches through the Anthropic client (%s)', (backend) => {
  let temporary: TemporaryDatabase | undefined;
  let testApp: TestApp;
  let client: Anthropic;
  let stranger: Anthropic;

  beforeAll(async () => {
    temporary = backend === 'postgres' ? await createTemporaryDatabase() : undefined;
    testApp = await startTestApp({
      listen: true,
      ...(temporary ? { databaseUrl: temporary.url } : {}),
      config: {
        providers: { sim: { fault_directives: true } },
        batches: { max_concurrency: 2, line_attempts: 1 },
      },
    });
    const tenant = await createTenant(testApp, { name: 'message batch tenant' });
    const other = await createTenant(testApp, { name: 'another tenant' });
    client = new Anthropic({ apiKey: tenant.secret, baseURL: testApp.baseUrl, maxRetries: 0 });
    stranger = new Anthropic({ apiKey: other.secret, baseURL: testApp.baseUrl, maxRetries: 0 });
  }, 60_000);

  afterAll(async () => {
    await testApp?.close();
    await temporary?.drop();
  });

  it('creates a batch, ends it, and returns one result per request: succeeded and errored', async () => {
    const created = await client.messages.batches.create({
      requests: [
        { custom_id: 'greeting', params: params('Say hello.') },
        { custom_id: 'unknown-model', params: params('Hi.', { model: 'sim/does-not-exist' }) },
        {
          custom_id: 'no-max-tokens',
          params: { model: 'sim/fast', messages: [{ role: 'user', content: 'x' }] } as Params,
        },
        { custom_id: 'farewell', params: params('Say goodbye.', { system: 'Be brief.' }) },
      ],
    });
    expect(created).toMatchObject({ type: 'message_batch', archived_at: null, cancel_initiated_at: null });
    expect(created.id).toMatch(/^msgbatch_/);
    expect(created.processing_status).toBe('in_progress');
    expect(created.results_url).toBeNull();
    expect(Date.parse(created.expires_at) - Date.parse(created.created_at)).toBe(86_400_000);

    const ended = await waitUntilEnded(client, created.id);
    expect(ended.request_counts).toEqual({
      processing: 0,
      succeeded: 2,
      errored: 2,
      canceled: 0,
      expired: 0,
    });
    expect(ended.ended_at).not.toBeNull();
    expect(ended.results_url).toBe(`${testApp.baseUrl}/v1/messages/batches/${created.id}/results`);

    const results = await resultsOf(client, created.id);
    expect(results.map((entry) => entry.custom_id)).toEqual([
      'greeting',
      'unknown-model',
      'no-max-tokens',
      'farewell',
    ]);
    const [greeting, unknownModel, noMaxTokens] = results;
    if (greeting?.result.type !== 'succeeded') throw new Error(`greeting: ${JSON.stringify(greeting)}`);
    expect(greeting.result.message).toMatchObject({ type: 'message', role: 'assistant', model: 'sim/fast' });
    expect(greeting.result.message.content[0]).toMatchObject({ type: 'text' });
    expect(greeting.result.message.usage.output_tokens).toBeGreaterThan(0);
    expect(unknownModel?.result).toMatchObject({
      type: 'errored',
      error: { type: 'error', error: { type: 'not_found_error' } },
    });
    expect(noMaxTokens?.result).toMatchObject({
      type: 'errored',
      error: {
        type: 'error',
        error: { type: 'invalid_request_error', message: expect.stringContaining('max_tokens') },
      },
    });
    expect(results[3]?.result.type).toBe('succeeded');
  });

  it('lists batches newest first with cursors', async () => {
    const first = await client.messages.batches.create({
      requests: [{ custom_id: 'a', params: params('One.') }],
    });
    const second = await client.messages.batches.create({
      requests: [{ custom_id: 'b', params: params('Two.') }],
    });
    const page = await client.messages.batches.list({ limit: 2 });
    expect(page.data.map((batch) => batch.id)).toEqual([second.id, first.id]);
    expect(page.has_more).toBe(true);
    expect(page.last_id).toBe(first.id);
    const older = await client.messages.batches.list({ limit: 1, after_id: first.id });
    expect(older.data.map((batch) => batch.id)).not.toContain(first.id);
    const newer = await client.messages.batches.list({ limit: 5, before_id: first.id });
    expect(newer.data.map((batch) => batch.id)).toEqual([second.id]);
    await waitUntilEnded(client, first.id);
    await waitUntilEnded(client, second.id);
  });

  it('cancels: processing requests become canceled results, and an ended batch can be deleted', async () => {
    const created = await client.messages.batches.create({
      requests: Array.from({ length: 10 }, (_, index) => ({
        custom_id: `slow-${index}`,
        params: params(`[[sim:latency_ms=150]] Request ${index}.`),
      })),
    });
    const canceling = await client.messages.batches.cancel(created.id);
    expect(['canceling', 'ended']).toContain(canceling.processing_status);
    expect(canceling.cancel_initiated_at).not.toBeNull();
    await expect(client.messages.batches.delete(created.id)).rejects.toMatchObject({ status: 409 });
    const ended = await waitUntilEnded(client, created.id);
    expect(ended.request_counts.canceled).toBeGreaterThan(0);
    expect(ended.request_counts.succeeded + ended.request_counts.canceled).toBe(10);
    const results = await resultsOf(client, created.id);
    expect(results).toHaveLength(10);
    expect(results.filter((entry) => entry.result.type === 'canceled')).toHaveLength(
      ended.request_counts.canceled,
    );
    expect(await client.messages.batches.delete(created.id)).toEqual({
      id: created.id,
      type: 'message_batch_deleted',
    });
    await expect(client.messages.batches.retrieve(created.id)).rejects.toMatchObject({ status: 404 });
  });

  it("keeps another organisation's batches out of reach, in Anthropic's error shape", async () => {
    const created = await client.messages.batches.create({
      requests: [{ custom_id: 'mine', params: params('Hi.') }],
    });
    await waitUntilEnded(client, created.id);
    for (const attempt of [
      () => stranger.messages.batches.retrieve(created.id),
      () => stranger.messages.batches.cancel(created.id),
      () => stranger.messages.batches.delete(created.id),
      () => stranger.messages.batches.results(created.id),
    ]) {
      await expect(attempt()).rejects.toMatchObject({
        status: 404,
        error: { type: 'error', error: { type: 'not_found_error' } },
      });
    }
    expect((await stranger.messages.batches.list()).data).toEqual([]);
  });

  it('refuses bad requests with a 400 naming the field', async () => {
    await expect(
      client.messages.batches.create({
        requests: [
          { custom_id: 'twice', params: params('a') },
          { custom_id: 'twice', params: params('b') },
        ],
      }),
    ).rejects.toMatchObject({ status: 400, error: { error: { type: 'invalid_request_error' } } });
    await expect(client.messages.batches.create({ requests: [] })).rejects.toMatchObject({ status: 400 });
    await expect(
      client.messages.batches.create({ requests: [{ custom_id: 'has spaces', params: params('a') }] }),
    ).rejects.toMatchObject({ status: 400 });
  });
});
