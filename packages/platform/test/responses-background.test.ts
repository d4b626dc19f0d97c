import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/storage/db/index.ts';
import {
  createTemporaryDatabase,
  postgresAvailable,
  redisAvailable,
  type TemporaryDatabase,
  testRedisUrl,
  uniqueRedisPrefix,
} from './support/services.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/** Another key of an organisation, through the admin API. */
async function createTenantKey(
  testApp: TestApp,
  organizationId: string,
): Promise<{ id: string; secret: string }> {
  const key = await testApp.app.inject({
    method: 'POST',
    url: `/v1/admin/organizations/${organizationId}/keys`,
    headers: { authorization: `Bearer ${testApp.adminKey}` },
    payload: { name: 'second key', role: 'member' },
  });
  if (key.statusCode !== 201) throw new Error(`create key: ${key.body}`);
  return key.json<{ id: string; secret: string }>();
}

/**
 * Background responses through the official `openai` client: queued at once, run as a job,
 * polled to completion; a background stream resumed with `starting_after`; cancelling queued,
 * running and finished responses; and a queued response that survives a restart of the platform.
 * On PGlite, and on PostgreSQL too when one is reachable.
 */
const usePostgres = await postgresAvailable();
const backends = usePostgres ? (['pglite', 'postgres'] as const) : (['pglite'] as const);
const useRedis = usePostgres && (await redisAvailable());

type StreamEvent = OpenAI.Responses.ResponseStreamEvent;

async function collect(stream: AsyncIterable<StreamEvent>, limit = Number.POSITIVE_INFINITY) {
  const events: StreamEvent[] = [];
  for await (const event of stream) {
    events.push(event);
    if (events.length >= limit) break;
  }
  return events;
}

async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out; last value ${JSON.stringify(value).slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const simulatedModels = {
  providers: {
    sim: { fault_directives: true, models: { slow: { latency_ms: 60_000 }, steady: { latency_ms: 300 } } },
  },
};

describe.each(backends)('background responses (%s)', (backend) => {
  let temporary: TemporaryDatabase | undefined;
  let testApp: TestApp;
  let client: OpenAI;
  let other: OpenAI;

  beforeAll(async () => {
    temporary = backend === 'postgres' ? await createTemporaryDatabase() : undefined;
    testApp = await startTestApp({
      listen: true,
      ...(temporary ? { databaseUrl: temporary.url } : {}),
      config: simulatedModels,
      responses: { background: { leaseMs: 3000, pollIntervalMs: 50 } },
    });
    const tenant = await createTenant(testApp, { name: 'background tenant' });
    const stranger = await createTenant(testApp, { name: 'another tenant' });
    const options = { baseURL: `${testApp.baseUrl}/v1`, maxRetries: 0 };
    client = new OpenAI({ apiKey: tenant.secret, ...options });
    other = new OpenAI({ apiKey: stranger.secret, ...options });
  });

  afterAll(async () => {
    await testApp?.close();
    await temporary?.drop();
  });

  it('answers at once with a queued response, runs it as a job and polls to completed', async () => {
    const { data: queued, response: raw } = await client.responses
      .create({ model: 'sim/fast', input: 'Write two sentences about queues.', background: true })
      .withResponse();
    expect(raw.status).toBe(200);
    expect(queued).toMatchObject({ object: 'response', status: 'queued', background: true, output: [] });
    expect(queued.usage).toBeNull();
    const finished = await waitFor(
      () => client.responses.retrieve(queued.id),
      (response) => response.status === 'completed',
    );
    expect(finished.background).toBe(true);
    expect(finished.output_text.length).toBeGreaterThan(0);
    expect(finished.usage!.output_tokens).toBeGreaterThan(0);
    // Metered like an interactive call, under the creating key's organisation and the create's request id.
    const usage = await testApp.database.query<{ organization_id: string; request_id: string }>(
      'SELECT organization_id, request_id FROM usage_records WHERE request_id = $1',
      [raw.headers.get('x-request-id')],
    );
    expect(usage.rows).toHaveLength(1);
    // The request and the caller were kept only while the response could still run.
    const job = await testApp.database.query<{ body: unknown; caller: unknown }>(
      'SELECT body, caller FROM responses WHERE id = $1',
      [queued.id],
    );
    expect(job.rows[0]).toEqual({ body: null, caller: null });
    // Another organisation cannot see it.
    await expect(other.responses.retrieve(queued.id)).rejects.toMatchObject({ status: 404 });
  });

  it('refuses background without store, naming store, and an unknown model at once', async () => {
    await expect(
      client.responses.create({ model: 'sim/fast', input: 'Hi.', background: true, store: false }),
    ).rejects.toMatchObject({ status: 400, param: 'store' });
    await expect(
      client.responses.create({ model: 'sim/nowhere', input: 'Hi.', background: true }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('streams a background response and resumes it after any sequence number', async () => {
    const input = 'Explain resumable streams in one paragraph.';
    const events = await collect(
      await client.responses.create({ model: 'sim/fast', input, background: true, stream: true }),
    );
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_event, index) => index));
    const types = events.map((event) => event.type);
    expect(types.slice(0, 3)).toEqual(['response.created', 'response.queued', 'response.in_progress']);
    expect(types.at(-1)).toBe('response.completed');
    const id = (events[0] as OpenAI.Responses.ResponseCreatedEvent).response.id;
    expect((events[0] as OpenAI.Responses.ResponseCreatedEvent).response.status).toBe('queued');

    const resumed = await collect(await client.responses.retrieve(id, { stream: true, starting_after: 4 }));
    expect(resumed).toEqual(events.slice(5));
    const whole = await collect(await client.responses.retrieve(id, { stream: true }));
    expect(whole).toEqual(events);
  });

  it('resumes a background stream that was cut while it was still running', async () => {
    const stream = await client.responses.create({
      model: 'sim/steady',
      input: 'Tell a short story about a lighthouse.',
      background: true,
      stream: true,
    });
    const first = await collect(stream, 2);
    stream.controller.abort();
    const id = (first[0] as OpenAI.Responses.ResponseCreatedEvent).response.id;
    const rest = await collect(await client.responses.retrieve(id, { stream: true, starting_after: 1 }));
    expect(rest[0]?.sequence_number).toBe(2);
    expect(rest.map((event) => event.sequence_number)).toEqual(rest.map((_event, index) => index + 2));
    expect(rest.at(-1)?.type).toBe('response.completed');
    const done = await client.responses.retrieve(id);
    expect(done.status).toBe('completed');
  });

  it('refuses to stream again a response that was not created in the background', async () => {
    const plain = await client.responses.create({ model: 'sim/fast', input: 'Hello.' });
    await expect(client.responses.retrieve(plain.id, { stream: true })).rejects.toMatchObject({
      status: 400,
      param: 'stream',
    });
  });

  it('cancels a running response: its call is aborted and it stays cancelled', async () => {
    const queued = await client.responses.create({
      model: 'sim/slow',
      input: 'Take your time.',
      background: true,
    });
    await waitFor(
      () => client.responses.retrieve(queued.id),
      (response) => response.status === 'in_progress',
    );
    const cancelled = await client.responses.cancel(queued.id);
    expect(cancelled.status).toBe('cancelled');
    // The job ended (its provider call was aborted) rather than waiting out the model's minute.
    await waitFor(
      () => testApp.jobQueue.counts('responses'),
      (counts) => counts.active === 0,
      5000,
    );
    const later = await client.responses.retrieve(queued.id);
    expect(later.status).toBe('cancelled');
    expect(later.output).toEqual([]);
    // Cancelling again returns it unchanged.
    expect((await client.responses.cancel(queued.id)).status).toBe('cancelled');
    await expect(other.responses.cancel(queued.id)).rejects.toMatchObject({ status: 404 });
  });

  it('returns a finished background response unchanged, and refuses to cancel a foreground one', async () => {
    const queued = await client.responses.create({
      model: 'sim/fast',
      input: 'Quick one.',
      background: true,
    });
    const finished = await waitFor(
      () => client.responses.retrieve(queued.id),
      (response) => response.status === 'completed',
    );
    expect(await client.responses.cancel(queued.id)).toEqual(finished);
    const plain = await client.responses.create({ model: 'sim/fast', input: 'Hello.' });
    await expect(client.responses.cancel(plain.id)).rejects.toMatchObject({ status: 400 });
  });

  it('fails a background response whose model is refused when it runs, with the error on the response', async () => {
    const queued = await client.responses.create({
      model: 'sim/fast',
      input: 'Fail please [[sim:error=503]]',
      background: true,
    });
    const failed = await waitFor(
      () => client.responses.retrieve(queued.id),
      (response) => response.status === 'failed',
    );
    expect(failed.error).toMatchObject({ code: 'server_error' });
    const events = await collect(await client.responses.retrieve(queued.id, { stream: true }));
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.queued',
      'error',
      'response.failed',
    ]);
  });
});

describe('background responses across a restart', () => {
  let database: Database;
  let first: TestApp | undefined;
  let second: TestApp | undefined;

  beforeAll(async () => {
    database = await openDatabase({ dataDirectory: 'memory://' });
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database.close();
  });

  it('cancels a queued response without running it, and a new process runs the one left queued', async () => {
    first = await startTestApp({ listen: true, database, responses: { runWorker: false } });
    const tenant = await createTenant(first, { name: 'restart tenant' });
    const client = new OpenAI({ apiKey: tenant.secret, baseURL: `${first.baseUrl}/v1`, maxRetries: 0 });
    const left = await client.responses.create({
      model: 'sim/fast',
      input: 'Survive a restart.',
      background: true,
    });
    const dropped = await client.responses.create({
      model: 'sim/fast',
      input: 'Never run.',
      background: true,
    });
    const cancelled = await client.responses.cancel(dropped.id);
    expect(cancelled.status).toBe('cancelled');
    // A key revoked after it queued a response does not get it run.
    const revokedKey = await createTenantKey(first, tenant.organizationId);
    const revokedClient = new OpenAI({
      apiKey: revokedKey.secret,
      baseURL: `${first.baseUrl}/v1`,
      maxRetries: 0,
    });
    const orphan = await revokedClient.responses.create({
      model: 'sim/fast',
      input: 'Run me?',
      background: true,
    });
    const revoked = await first.app.inject({
      method: 'DELETE',
      url: `/v1/admin/organizations/${tenant.organizationId}/keys/${revokedKey.id}`,
      headers: { authorization: `Bearer ${first.adminKey}` },
    });
    expect(revoked.statusCode).toBe(200);
    // A stored request this version cannot read fails its response rather than being claimed forever.
    const unreadable = await client.responses.create({
      model: 'sim/fast',
      input: 'Unreadable.',
      background: true,
    });
    await database.query(`UPDATE responses SET body = '{"model": 5}'::jsonb WHERE id = $1`, [unreadable.id]);
    expect((await client.responses.retrieve(left.id)).status).toBe('queued');
    const stored = await database.query<{ body: { input: unknown[] }; caller: { organizationId: string } }>(
      'SELECT body, caller FROM responses WHERE id = $1',
      [left.id],
    );
    expect(stored.rows[0]?.body.input).toHaveLength(1);
    expect(stored.rows[0]?.caller.organizationId).toBe(tenant.organizationId);
    await first.close();
    first = undefined;

    second = await startTestApp({
      listen: true,
      database,
      responses: { background: { pollIntervalMs: 50 } },
    });
    const again = new OpenAI({ apiKey: tenant.secret, baseURL: `${second.baseUrl}/v1`, maxRetries: 0 });
    const finished = await waitFor(
      () => again.responses.retrieve(left.id),
      (response) => response.status === 'completed',
    );
    expect(finished.output_text.length).toBeGreaterThan(0);
    const refused = await waitFor(
      () => again.responses.retrieve(orphan.id),
      (response) => response.status === 'failed',
    );
    expect(refused.error?.message).toContain('revoked');
    const unread = await waitFor(
      () => again.responses.retrieve(unreadable.id),
      (response) => response.status === 'failed',
    );
    expect(unread.error?.message).toContain('could not be read');
    const never = await again.responses.retrieve(dropped.id);
    expect(never.status).toBe('cancelled');
    expect(never.usage).toBeNull();
    const usage = await database.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM usage_records WHERE organization_id = $1`,
      [tenant.organizationId],
    );
    expect(usage.rows[0]?.count).toBe(1);
  });

  it('hands a response that was running when its process stopped to the next process, which completes it', async () => {
    const config = { providers: { sim: { fault_directives: true } } };
    const leaving = await startTestApp({
      listen: true,
      database,
      config,
      responses: { background: { pollIntervalMs: 50 } },
    });
    const tenant = await createTenant(leaving, { name: 'running restart tenant' });
    const client = new OpenAI({ apiKey: tenant.secret, baseURL: `${leaving.baseUrl}/v1`, maxRetries: 0 });
    const running = await client.responses.create({
      model: 'sim/fast',
      input: 'Outlive your runner [[sim:latency_ms=1500]]',
      background: true,
    });
    await waitFor(
      () => client.responses.retrieve(running.id),
      (response) => response.status === 'in_progress',
    );
    await leaving.close();
    const row = await database.query<{ status: string; lease_expires_at: Date }>(
      'SELECT status, lease_expires_at FROM responses WHERE id = $1',
      [running.id],
    );
    // Released, not cancelled: still in progress, with a lease that has already run out.
    expect(row.rows[0]?.status).toBe('in_progress');
    expect(row.rows[0]!.lease_expires_at.getTime()).toBeLessThanOrEqual(Date.now());

    const next = await startTestApp({
      listen: true,
      database,
      config,
      responses: { background: { pollIntervalMs: 50 } },
    });
    try {
      const again = new OpenAI({ apiKey: tenant.secret, baseURL: `${next.baseUrl}/v1`, maxRetries: 0 });
      const finished = await waitFor(
        () => again.responses.retrieve(running.id),
        (response) => response.status === 'completed',
      );
      expect(finished.output_text.length).toBeGreaterThan(0);
      const events = [];
      for await (const event of await again.responses.retrieve(running.id, { stream: true }))
        events.push(event);
      expect(events.map((event) => event.sequence_number)).toEqual(events.map((_event, index) => index));
      expect(events.filter((event) => event.type === 'response.in_progress')).toHaveLength(1);
    } finally {
      await next.close();
    }
  });
});

describe.runIf(useRedis)('background responses scaled out (PostgreSQL, BullMQ and Redis pub/sub)', () => {
  let temporary: TemporaryDatabase;
  let api: TestApp;
  let worker: TestApp;
  let client: OpenAI;

  beforeAll(async () => {
    temporary = await createTemporaryDatabase();
    const prefix = uniqueRedisPrefix('responses');
    const shared = {
      databaseUrl: temporary.url,
      redisUrl: testRedisUrl,
      redisPrefix: prefix,
      config: simulatedModels,
    };
    // An API replica that runs no background responses, and a worker that does.
    api = await startTestApp({ ...shared, listen: true, responses: { runWorker: false } });
    worker = await startTestApp({
      ...shared,
      responses: { background: { leaseMs: 30_000, pollIntervalMs: 50 } },
    });
    const tenant = await createTenant(api, { name: 'scaled tenant' });
    client = new OpenAI({ apiKey: tenant.secret, baseURL: `${api.baseUrl}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await api?.close();
    await worker?.close();
    await temporary?.drop();
  });

  it('streams on the API replica what the worker runs', async () => {
    const events = await collect(
      await client.responses.create({
        model: 'sim/fast',
        input: 'Scale out.',
        background: true,
        stream: true,
      }),
    );
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_event, index) => index));
    expect(events.at(-1)?.type).toBe('response.completed');
  });

  it('cancels through the API replica a response the worker is running, at once', async () => {
    const queued = await client.responses.create({ model: 'sim/slow', input: 'Run long.', background: true });
    await waitFor(
      () => client.responses.retrieve(queued.id),
      (response) => response.status === 'in_progress',
    );
    await client.responses.cancel(queued.id);
    // The lease is 30 s, so only the cancel notice on the events port can stop the worker this soon.
    await waitFor(
      () => worker.jobQueue.counts('responses'),
      (counts) => counts.active === 0,
      5000,
    );
    expect((await client.responses.retrieve(queued.id)).status).toBe('cancelled');
  });
});
