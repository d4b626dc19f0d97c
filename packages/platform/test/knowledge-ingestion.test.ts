import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/storage/db/index.ts';
import { createTemporaryDatabase, postgresAvailable, type TemporaryDatabase } from './support/services.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * Knowledge ingestion as queue jobs, on PGlite and on PostgreSQL: uploads answer 202 with queued
 * documents that become ready with their progress; events over SSE, resumable with
 * Last-Event-ID; search never sees a document before it is ready; a permanent embedding failure
 * fails the document at once; and the plan's knowledge limits refuse uploads with 413 and 403.
 */
const postgres = await postgresAvailable();

const config = {
  providers: {
    sim: {
      models: {
        // Slow enough that a many-batch document is seen in progress.
        'embed-slow': { kind: 'embedding', latency_ms: 150 },
        // Every chunk of a knowledge base with 64-token chunks is too long for it: a 400.
        'embed-tiny': { kind: 'embedding', context_window: 8 },
        'embed-down': { kind: 'embedding', failure_rate: 1 },
      },
    },
  },
};
const knowledge = { ingestion: { attempts: 3, backoffMs: 10 } };

interface Backend {
  name: string;
  available: boolean;
  start(): Promise<{ testApp: TestApp; cleanup(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'PGlite',
    available: true,
    async start() {
      const database = await openDatabase({ dataDirectory: 'memory://', extensions: 'vector' });
      const testApp = await startTestApp({ database, config, knowledge, listen: true });
      return { testApp, cleanup: () => database.close() };
    },
  },
  {
    name: 'PostgreSQL',
    available: postgres,
    async start() {
      const temporary: TemporaryDatabase = await createTemporaryDatabase();
      const testApp = await startTestApp({ databaseUrl: temporary.url, config, knowledge, listen: true });
      return { testApp, cleanup: () => temporary.drop() };
    },
  },
];

/** A text of `count` short paragraphs (about two to a 16-token chunk), with `marker` in the last. */
const manyParagraphs = (count: number, marker: string) =>
  Array.from(
    { length: count },
    (_, index) => `Paragraph ${index} about turbines.${index === count - 1 ? ` ${marker}` : ''}`,
  ).join('\n\n');

interface StreamedEvent {
  id: string;
  event: string;
  data: { sequence: number; type: string; data: Record<string, unknown> };
}

function parseEvents(text: string): StreamedEvent[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.includes('data: '))
    .map((frame) => {
      const field = (name: string) =>
        frame
          .split('\n')
          .find((line) => line.startsWith(`${name}: `))
          ?.slice(name.length + 2) ?? '';
      return { id: field('id'), event: field('event'), data: JSON.parse(field('data')) };
    });
}

for (const backend of backends) {
  describe.runIf(backend.available)(`knowledge ingestion jobs on ${backend.name}`, () => {
    let testApp: TestApp;
    let cleanup: () => Promise<void>;
    let tenant: { organizationId: string; secret: string };

    const send = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, secret?: string) => {
      const response = await testApp.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${secret ?? tenant.secret}` },
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      });
      return { status: response.statusCode, body: response.json() };
    };
    const createBase = async (body: Record<string, unknown>) => {
      const created = await send('POST', '/v1/knowledge-bases', body);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return created.body.id as string;
    };
    const waitFor = async (
      url: string,
      done: (body: { status: string; chunks_embedded: number }) => boolean,
    ) => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const { body } = await send('GET', url);
        if (done(body)) return body;
        if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(body)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const streamEvents = async (url: string, lastEventId?: string) => {
      const response = await fetch(`${testApp.baseUrl}${url}`, {
        headers: {
          authorization: `Bearer ${tenant.secret}`,
          ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }),
        },
        signal: AbortSignal.timeout(30_000),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      // The stream ends by itself after the terminal event.
      return parseEvents(await response.text());
    };

    beforeAll(async () => {
      ({ testApp, cleanup } = await backend.start());
      tenant = await createTenant(testApp, { name: 'ingestion tenant' });
    });

    afterAll(async () => {
      await testApp?.close();
      await cleanup?.();
    });

    it('answers 202 with queued documents that become ready, with progress, over SSE', async () => {
      const id = await createBase({
        name: 'Manuals',
        embedding_model: 'sim/embed-slow',
        chunking: { max_tokens: 16, overlap_tokens: 0 },
      });
      const queued = await send('POST', `/v1/knowledge-bases/${id}/documents`, {
        title: 'Turbine manual',
        text: manyParagraphs(600, 'zeppelinmarker'),
      });
      expect(queued.status, JSON.stringify(queued.body)).toBe(202);
      expect(queued.body).toMatchObject({ status: 'queued', chunks_embedded: 0, error: null });
      expect(queued.body.chunk_count).toBeGreaterThan(256);
      const url = `/v1/knowledge-bases/${id}/documents/${queued.body.id}`;

      // While some batches are staged, search sees none of the document's chunks.
      const midway = await waitFor(url, (body) => body.chunks_embedded > 0 || body.status === 'ready');
      if (midway.status === 'processing') {
        const hidden = await send('POST', `/v1/knowledge-bases/${id}/search`, {
          query: 'turbines',
          mode: 'keyword',
        });
        expect(hidden.body.data).toEqual([]);
      }

      const events = await streamEvents(`${url}/events`);
      const types = events.map((event) => event.event);
      expect(types[0]).toBe('document.queued');
      expect(types.at(-1)).toBe('document.ready');
      expect(types.filter((type) => type === 'document.progress').length).toBeGreaterThanOrEqual(2);
      expect(events.map((event) => Number(event.id))).toEqual(events.map((_, index) => index + 1));
      const progress = events
        .filter((event) => event.event === 'document.progress')
        .map((event) => event.data.data.chunks_embedded as number);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(events.at(-1)!.data.data).toEqual({
        chunk_count: queued.body.chunk_count,
        chunks_embedded: queued.body.chunk_count,
      });

      // Resumed after the second event: only the ones after it.
      const resumed = await streamEvents(`${url}/events`, '2');
      expect(resumed.map((event) => Number(event.id))).toEqual(
        events.slice(2).map((event) => Number(event.id)),
      );

      const ready = await send('GET', url);
      expect(ready.body).toMatchObject({ status: 'ready', chunks_embedded: queued.body.chunk_count });
      const found = await send('POST', `/v1/knowledge-bases/${id}/search`, {
        query: 'zeppelinmarker',
        mode: 'keyword',
      });
      expect(found.body.data[0]).toMatchObject({ document_id: queued.body.id });
      const staged = await testApp.database.query<{ count: number }>(
        'SELECT count(*)::int8 AS count FROM knowledge_staged_chunks WHERE document_id = $1',
        [queued.body.id],
      );
      expect(staged.rows[0]!.count).toBe(0);
    });

    it('fails a document at once on a permanent embedding error, and after its tries on a transient one', async () => {
      const tiny = await createBase({
        name: 'Tiny',
        embedding_model: 'sim/embed-tiny',
        chunking: { max_tokens: 64, overlap_tokens: 0 },
      });
      const refused = await send('POST', `/v1/knowledge-bases/${tiny}/documents?wait=30`, {
        text: 'A sentence far longer than eight tokens, which the tiny embedding model refuses outright.',
      });
      expect(refused.status, JSON.stringify(refused.body)).toBe(201);
      expect(refused.body.status).toBe('failed');
      expect(refused.body.error.code).toBe('CONTEXT_LENGTH_EXCEEDED');
      // One embedding call: a 400 is not retried. (The gateway records every call, failed ones too.)
      const calls = (documentId: string) =>
        testApp.database
          .query<{ count: number }>(
            "SELECT count(*)::int8 AS count FROM usage_records WHERE endpoint = 'embeddings' AND request_id LIKE $1",
            [`${documentId}.%`],
          )
          .then((result) => result.rows[0]!.count);
      expect(await calls(refused.body.id)).toBe(1);

      const down = await createBase({ name: 'Down', embedding_model: 'sim/embed-down' });
      const failed = await send('POST', `/v1/knowledge-bases/${down}/documents?wait=30`, {
        text: 'Lost text.',
      });
      expect(failed.body).toMatchObject({ status: 'failed', error: { code: 'PROVIDER_UNAVAILABLE' } });
      expect(await calls(failed.body.id)).toBe(knowledge.ingestion.attempts);
      const events = await streamEvents(`/v1/knowledge-bases/${down}/documents/${failed.body.id}/events`);
      expect(events.map((event) => event.event)).toEqual(['document.queued', 'document.failed']);
      expect(events[1]!.data.data).toMatchObject({ error: { code: 'PROVIDER_UNAVAILABLE' } });
    });

    it('answers 404 for the events of a document that is not there, and 400 for a bad Last-Event-ID', async () => {
      const id = await createBase({ name: 'Empty' });
      const missing = await send('GET', `/v1/knowledge-bases/${id}/documents/kdoc_missing/events`);
      expect(missing.status).toBe(404);
      const queued = await send('POST', `/v1/knowledge-bases/${id}/documents?wait=30`, {
        text: 'Some text.',
      });
      const response = await testApp.app.inject({
        method: 'GET',
        url: `/v1/knowledge-bases/${id}/documents/${queued.body.id}/events`,
        headers: { authorization: `Bearer ${tenant.secret}`, 'last-event-id': 'soon' },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.param).toBe('Last-Event-ID');
      const stranger = await createTenant(testApp, { name: 'events stranger' });
      const hidden = await send(
        'GET',
        `/v1/knowledge-bases/${id}/documents/${queued.body.id}/events`,
        undefined,
        stranger.secret,
      );
      expect(hidden.status).toBe(404);
    });

    it("enforces the plan's knowledge limits: 413 for a large document, 403 past the allowance", async () => {
      const planned = await createTenant(testApp, { name: 'limited tenant' });
      const admin = (method: 'PUT', url: string, payload: unknown) =>
        send(method, url, payload, testApp.adminKey);
      const plan = await admin('PUT', '/v1/admin/plans/knowledge-small', {
        name: 'Knowledge small',
        knowledge_max_file_bytes: 200,
        knowledge_max_documents: 2,
        knowledge_max_chunks: 1000,
      });
      expect(plan.status, JSON.stringify(plan.body)).toBeLessThan(300);
      expect(plan.body).toMatchObject({
        knowledge_max_file_bytes: 200,
        knowledge_max_documents: 2,
        knowledge_max_chunks: 1000,
      });
      const assigned = await admin('PUT', `/v1/admin/organizations/${planned.organizationId}/plan`, {
        plan: 'knowledge-small',
      });
      expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
      const as = (method: 'POST', url: string, payload: unknown) =>
        send(method, url, payload, planned.secret);
      const created = await as('POST', '/v1/knowledge-bases', { name: 'Limited' });
      const url = `/v1/knowledge-bases/${created.body.id}/documents`;

      const large = await as('POST', url, { text: 'x'.repeat(201) });
      expect(large.status).toBe(413);
      expect(large.body.error).toMatchObject({ code: 'FILE_TOO_LARGE', param: 'text' });
      expect(large.body.error.message).toContain('knowledge_max_file_bytes');
      const bulkLarge = await as('POST', url, { documents: [{ text: 'small' }, { text: 'y'.repeat(300) }] });
      expect(bulkLarge.status).toBe(413);
      expect(bulkLarge.body.error.param).toBe('documents[1].text');

      const form = new FormData();
      form.append('file', new Blob(['z'.repeat(500)], { type: 'text/plain' }), 'big.txt');
      const file = await fetch(`${testApp.baseUrl}${url}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${planned.secret}` },
        body: form,
      });
      expect(file.status).toBe(413);
      const fileError = ((await file.json()) as { error: { param: string; message: string } }).error;
      expect(fileError.param).toBe('file');
      expect(fileError.message).toContain("'big.txt'");

      expect((await as('POST', `${url}?wait=30`, { text: 'First.', external_id: 'one' })).status).toBe(201);
      expect((await as('POST', `${url}?wait=30`, { text: 'Second.', external_id: 'two' })).status).toBe(201);
      const third = await as('POST', url, { text: 'Third.' });
      expect(third.status).toBe(403);
      expect(third.body.error).toMatchObject({
        code: 'KNOWLEDGE_LIMIT_EXCEEDED',
        type: 'insufficient_quota',
      });
      expect(third.body.error.message).toContain('knowledge_max_documents');
      // Replacing a document (same external_id) holds the count.
      const replaced = await as('POST', `${url}?wait=30`, { text: 'First, again.', external_id: 'one' });
      expect(replaced.status, JSON.stringify(replaced.body)).toBe(201);
      expect(replaced.body.status).toBe('ready');
    });
  });
}

describe('knowledge ingestion as the uploader', () => {
  it('fails the documents of a key revoked before its jobs ran, and picks up documents queued while no worker ran', async () => {
    const testApp = await startTestApp({ knowledge: { runWorker: false } });
    try {
      const tenant = await createTenant(testApp, { name: 'revoked uploader' });
      const send = async (
        method: 'GET' | 'POST' | 'DELETE',
        url: string,
        secret: string,
        payload?: unknown,
      ) => {
        const response = await testApp.app.inject({
          method,
          url,
          headers: { authorization: `Bearer ${secret}` },
          ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
        });
        return { status: response.statusCode, body: response.json() };
      };
      const base = await send('POST', '/v1/knowledge-bases', tenant.secret, { name: 'Orphans' });
      const queued = await send('POST', `/v1/knowledge-bases/${base.body.id}/documents`, tenant.secret, {
        text: 'Uploaded by a key about to be revoked.',
      });
      expect(queued.status).toBe(202);
      const revoked = await send(
        'DELETE',
        `/v1/admin/organizations/${tenant.organizationId}/keys/${tenant.keyId}`,
        testApp.adminKey,
      );
      expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
      await testApp.platform.knowledge.startWorker();
      const deadline = Date.now() + 20_000;
      for (;;) {
        const row = await testApp.database.query<{ status: string; error: { code: string } | null }>(
          'SELECT status, error FROM knowledge_documents WHERE id = $1',
          [queued.body.id],
        );
        if (row.rows[0]!.status === 'failed') {
          expect(row.rows[0]!.error?.code).toBe('API_KEY_REVOKED');
          break;
        }
        if (Date.now() > deadline) throw new Error(`still ${row.rows[0]!.status}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await testApp.close();
    }
  });
});
