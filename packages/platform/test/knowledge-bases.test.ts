import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/storage/db/index.ts';
import { createTemporaryDatabase, postgresAvailable, type TemporaryDatabase } from './support/services.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * Knowledge bases over HTTP on both search paths: PGlite with pgvector (HNSW) and PostgreSQL
 * without the extension (exact scan). CRUD, JSON ingestion (queued, waited for with `?wait`),
 * search in every mode, metadata filters, replacement by external_id, tenant isolation,
 * validation and metering.
 */
const postgres = await postgresAvailable();

/** An embedding model that always fails, to see ingestion record the failure. */
const config = { providers: { sim: { models: { 'embed-down': { kind: 'embedding', failure_rate: 1 } } } } };
/** Two quick tries, so the always-failing model fails its document within the test. */
const knowledge = { ingestion: { attempts: 2, backoffMs: 10 } };

interface Backend {
  name: string;
  available: boolean;
  start(): Promise<{ testApp: TestApp; cleanup(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'PGlite with pgvector',
    available: true,
    async start() {
      const database = await openDatabase({ dataDirectory: 'memory://', extensions: 'vector' });
      const testApp = await startTestApp({ database, config, knowledge, listen: true });
      return { testApp, cleanup: () => database.close() };
    },
  },
  {
    name: 'PostgreSQL without pgvector (exact scan)',
    available: postgres,
    async start() {
      const temporary: TemporaryDatabase = await createTemporaryDatabase();
      const testApp = await startTestApp({ databaseUrl: temporary.url, config, knowledge, listen: true });
      return { testApp, cleanup: () => temporary.drop() };
    },
  },
];

const corpus = [
  {
    title: 'Solar power',
    external_id: 'solar',
    metadata: { topic: 'energy', year: 2024 },
    text: '# Solar power\n\nSolar panels convert sunlight into electricity with photovoltaic cells. Panels on a roof face the sun.\n\n## Storage\n\nBatteries store the electricity for the night.',
  },
  {
    title: 'Cats',
    external_id: 'cats',
    metadata: { topic: 'animals' },
    text: 'Cats purr when they are content. A cat sleeps for most of the day and hunts mice at night.',
  },
  {
    title: 'Dogs',
    metadata: { topic: 'animals' },
    text: 'Dogs bark at strangers. A dog needs long walks in the park every day.',
  },
];

for (const backend of backends) {
  describe.runIf(backend.available)(`knowledge bases on ${backend.name}`, () => {
    let testApp: TestApp;
    let cleanup: () => Promise<void>;
    let tenant: { organizationId: string; secret: string };
    let stranger: { organizationId: string; secret: string };
    let knowledgeBaseId: string;

    const send = async (
      secret: string,
      method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
      url: string,
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
    const search = (secret: string, id: string, body: Record<string, unknown>) =>
      send(secret, 'POST', `/v1/knowledge-bases/${id}/search`, body);

    beforeAll(async () => {
      ({ testApp, cleanup } = await backend.start());
      tenant = await createTenant(testApp, { name: 'knowledge tenant' });
      stranger = await createTenant(testApp, { name: 'knowledge stranger' });
      const created = await send(tenant.secret, 'POST', '/v1/knowledge-bases', { name: 'Handbook' });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      knowledgeBaseId = created.body.id;
      const ingested = await send(
        tenant.secret,
        'POST',
        `/v1/knowledge-bases/${knowledgeBaseId}/documents?wait=30`,
        { documents: corpus },
      );
      expect(ingested.status, JSON.stringify(ingested.body)).toBe(201);
      expect(ingested.body.data.map((document: { status: string }) => document.status)).toEqual([
        'ready',
        'ready',
        'ready',
      ]);
    });

    afterAll(async () => {
      await testApp?.close();
      await cleanup?.();
    });

    it('creates, lists, reads and updates a knowledge base with the documented defaults', async () => {
      const created = await send(tenant.secret, 'POST', '/v1/knowledge-bases', {
        name: 'Notes',
        description: 'Team notes',
        chunking: { max_tokens: 128 },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        object: 'knowledge_base',
        name: 'Notes',
        description: 'Team notes',
        embedding_model: 'sim/embed',
        embedding_dimensions: null,
        chunking: { max_tokens: 128, overlap_tokens: 32 },
        document_count: 0,
        chunk_count: 0,
      });
      expect(created.body.id).toMatch(/^kb_/);
      const list = await send(tenant.secret, 'GET', '/v1/knowledge-bases?limit=1');
      expect(list.body).toMatchObject({ object: 'list', has_more: true });
      expect(list.body.data.map((base: { id: string }) => base.id)).toEqual([created.body.id]);
      const next = await send(tenant.secret, 'GET', `/v1/knowledge-bases?after=${created.body.id}`);
      expect(next.body.data.map((base: { id: string }) => base.id)).toEqual([knowledgeBaseId]);
      const handbook = await send(tenant.secret, 'GET', `/v1/knowledge-bases/${knowledgeBaseId}`);
      expect(handbook.body).toMatchObject({ name: 'Handbook', embedding_dimensions: 256, document_count: 3 });
      expect(handbook.body.chunk_count).toBeGreaterThanOrEqual(3);
      const updated = await send(tenant.secret, 'PATCH', `/v1/knowledge-bases/${created.body.id}`, {
        name: 'Renamed',
        chunking: { max_tokens: 64, overlap_tokens: 8 },
      });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({
        name: 'Renamed',
        chunking: { max_tokens: 64, overlap_tokens: 8 },
      });
    });

    it('ingests documents as ready, with chunk counts, and reads them back', async () => {
      const list = await send(tenant.secret, 'GET', `/v1/knowledge-bases/${knowledgeBaseId}/documents`);
      expect(list.status).toBe(200);
      const titles = list.body.data.map((document: { title: string }) => document.title).sort();
      expect(titles).toEqual(['Cats', 'Dogs', 'Solar power']);
      const solar = list.body.data.find((document: { title: string }) => document.title === 'Solar power');
      expect(solar).toMatchObject({
        object: 'knowledge_document',
        external_id: 'solar',
        status: 'ready',
        error: null,
        metadata: { topic: 'energy', year: 2024 },
        character_count: corpus[0]!.text.length,
      });
      expect(solar.chunk_count).toBeGreaterThanOrEqual(1);
      expect(solar.chunks_embedded).toBe(solar.chunk_count);
      const one = await send(
        tenant.secret,
        'GET',
        `/v1/knowledge-bases/${knowledgeBaseId}/documents/${solar.id}`,
      );
      expect(one.body).toEqual(solar);
    });

    it.each(['hybrid', 'vector', 'keyword'])(
      'finds the right document in %s mode, with offsets',
      async (mode) => {
        const found = await search(tenant.secret, knowledgeBaseId, {
          query: 'How do solar panels turn sunlight into electricity?',
          mode,
          top_k: 3,
        });
        expect(found.status, JSON.stringify(found.body)).toBe(200);
        expect(found.body.mode).toBe(mode);
        const [best] = found.body.data;
        expect(best).toMatchObject({ title: 'Solar power', external_id: 'solar' });
        expect(best.chunk_id).toMatch(/^kchunk_/);
        expect(corpus[0]!.text.slice(best.start, best.end)).toBe(best.text);
        expect(best.score).toBeGreaterThan(0);
        if (mode === 'hybrid') {
          expect(best.vector_rank).toBe(1);
          expect(best.keyword_rank).toBe(1);
          // Weighted reciprocal rank fusion, k = 20: weight 0.2 on the vector side, 1 on the keyword side.
          expect(best.score).toBeCloseTo(0.2 / 21 + 1 / 21, 10);
          // A chunk only the vector side found carries its vector rank and a null keyword rank.
          const vectorOnly = found.body.data.find(
            (hit: { keyword_rank: number | null }) => hit.keyword_rank === null,
          );
          expect(vectorOnly?.vector_rank).toBeGreaterThan(1);
          expect(vectorOnly?.score).toBeCloseTo(0.2 / (20 + vectorOnly.vector_rank), 10);
        } else {
          expect(best).not.toHaveProperty('vector_rank');
        }
      },
    );

    it('filters by metadata and drops hits under min_score', async () => {
      const animals = await search(tenant.secret, knowledgeBaseId, {
        query: 'solar panels and sleeping cats',
        filter: { topic: 'animals' },
      });
      expect(animals.body.data.length).toBeGreaterThan(0);
      expect(
        animals.body.data.every((hit: { metadata: { topic: string } }) => hit.metadata.topic === 'animals'),
      ).toBe(true);
      expect(animals.body.data[0].title).toBe('Cats');
      const strict = await search(tenant.secret, knowledgeBaseId, {
        query: 'solar panels sunlight',
        mode: 'vector',
        min_score: 0.99,
      });
      expect(strict.body.data).toEqual([]);
    });

    it('replaces a document uploaded again with the same external_id', async () => {
      const url = `/v1/knowledge-bases/${knowledgeBaseId}/documents`;
      const first = await send(tenant.secret, 'POST', `${url}?wait=30`, {
        title: 'Refunds',
        external_id: 'refund-policy',
        text: 'Refunds are granted within thirty days of purchase.',
      });
      expect(first.status).toBe(201);
      const second = await send(tenant.secret, 'POST', `${url}?wait=30`, {
        title: 'Refunds (2025)',
        external_id: 'refund-policy',
        text: 'Refunds are granted within ninety days of purchase.',
      });
      expect(second.status).toBe(201);
      expect(second.body.id).not.toBe(first.body.id);
      const old = await send(tenant.secret, 'GET', `${url}/${first.body.id}`);
      expect(old.status).toBe(404);
      const hits = await search(tenant.secret, knowledgeBaseId, { query: 'refunds', mode: 'keyword' });
      expect(hits.body.data.map((hit: { text: string }) => hit.text)).toEqual([
        'Refunds are granted within ninety days of purchase.',
      ]);
      expect(hits.body.data[0]).toMatchObject({ external_id: 'refund-policy', document_id: second.body.id });
    });

    it('keeps one ready document per external_id under concurrent uploads', async () => {
      const url = `/v1/knowledge-bases/${knowledgeBaseId}/documents`;
      const uploads = await Promise.all(
        [1, 2, 3, 4].map((version) =>
          send(tenant.secret, 'POST', `${url}?wait=30`, {
            title: `Shipping v${version}`,
            external_id: 'shipping',
            text: `Shipping takes ${version} business days.`,
          }),
        ),
      );
      expect(
        uploads.map((upload) => upload.status),
        JSON.stringify(uploads),
      ).toEqual([201, 201, 201, 201]);
      const rows = await testApp.database.query<{ status: string }>(
        "SELECT status FROM knowledge_documents WHERE knowledge_base_id = $1 AND external_id = 'shipping'",
        [knowledgeBaseId],
      );
      expect(rows.rows).toEqual([{ status: 'ready' }]);
      const hits = await search(tenant.secret, knowledgeBaseId, { query: 'shipping', mode: 'keyword' });
      expect(hits.body.data.map((hit: { external_id: string }) => hit.external_id)).toEqual(['shipping']);
    });

    it("never shows another organisation's knowledge base, documents or chunks", async () => {
      const base = `/v1/knowledge-bases/${knowledgeBaseId}`;
      const documents = await send(tenant.secret, 'GET', `${base}/documents`);
      const documentId = documents.body.data[0].id;
      for (const [method, url, payload] of [
        ['GET', base, undefined],
        ['PATCH', base, { name: 'stolen' }],
        ['DELETE', base, undefined],
        ['GET', `${base}/documents`, undefined],
        ['GET', `${base}/documents/${documentId}`, undefined],
        ['DELETE', `${base}/documents/${documentId}`, undefined],
        ['POST', `${base}/documents`, { text: 'Planted text.' }],
        ['POST', `${base}/search`, { query: 'solar' }],
      ] as const) {
        const response = await send(stranger.secret, method, url, payload);
        expect(response.status, `${method} ${url}`).toBe(404);
      }
      const listed = await send(stranger.secret, 'GET', '/v1/knowledge-bases');
      expect(listed.body.data).toEqual([]);
      const own = await send(stranger.secret, 'POST', '/v1/knowledge-bases', { name: 'Mine' });
      for (const mode of ['hybrid', 'vector', 'keyword']) {
        const found = await search(stranger.secret, own.body.id, { query: 'solar panels cats dogs', mode });
        expect(found.status).toBe(200);
        expect(found.body.data).toEqual([]);
      }
      const still = await send(tenant.secret, 'GET', base);
      expect(still.body.name).toBe('Handbook');
    });

    it('answers bad input with a 400 naming the field', async () => {
      const base = `/v1/knowledge-bases/${knowledgeBaseId}`;
      const cases: [string, string, unknown, string][] = [
        ['POST', '/v1/knowledge-bases', {}, 'name'],
        ['POST', '/v1/knowledge-bases', { name: 'x', embedding_model: 'sim/fast' }, 'embedding_model'],
        ['POST', '/v1/knowledge-bases', { name: 'x', embedding_model: 'sim/nothing' }, 'embedding_model'],
        [
          'POST',
          '/v1/knowledge-bases',
          { name: 'x', chunking: { max_tokens: 100, overlap_tokens: 100 } },
          'chunking.overlap_tokens',
        ],
        ['PATCH', base, { embedding_model: 'sim/embed' }, 'embedding_model'],
        ['POST', `${base}/documents`, { text: '   ' }, 'text'],
        [
          'POST',
          `${base}/documents`,
          { documents: [{ text: 'ok' }, { title: 'no text' }] },
          'documents[1].text',
        ],
        ['POST', `${base}/documents`, { text: 'x', metadata: { nested: { deep: 1 } } }, 'metadata.nested'],
        ['POST', `${base}/search`, { query: 'x', top_k: 0 }, 'top_k'],
        ['POST', `${base}/search`, { query: 'x', mode: 'fuzzy' }, 'mode'],
        ['POST', `${base}/search`, { query: '' }, 'query'],
        ['GET', '/v1/knowledge-bases?after=kb_missing', undefined, 'after'],
      ];
      for (const [method, url, payload, param] of cases) {
        const response = await send(tenant.secret, method as 'POST', url, payload);
        expect(response.status, `${method} ${url} ${JSON.stringify(payload)}`).toBe(400);
        expect(response.body.error.param).toBe(param);
      }
    });

    it('meters every embedding call in the usage ledger of the organisation', async () => {
      const before = await testApp.database.query<{ count: number; tokens: number }>(
        `SELECT count(*)::int8 AS count, COALESCE(sum(prompt_tokens), 0)::int8 AS tokens FROM usage_records
          WHERE organization_id = $1 AND endpoint = 'embeddings' AND status = 200`,
        [tenant.organizationId],
      );
      expect(before.rows[0]!.count).toBeGreaterThanOrEqual(4);
      expect(before.rows[0]!.tokens).toBeGreaterThan(0);
      await search(tenant.secret, knowledgeBaseId, { query: 'cats', mode: 'vector' });
      await search(tenant.secret, knowledgeBaseId, { query: 'cats', mode: 'keyword' });
      const after = await testApp.database.query<{ count: number }>(
        `SELECT count(*)::int8 AS count FROM usage_records
          WHERE organization_id = $1 AND endpoint = 'embeddings' AND requested_model = 'sim/embed'`,
        [tenant.organizationId],
      );
      // The vector search embedded its query; the keyword search called no model.
      expect(after.rows[0]!.count).toBe(before.rows[0]!.count + 1);
    });

    it('deletes a knowledge base with every document, chunk and vector', async () => {
      const created = await send(tenant.secret, 'POST', '/v1/knowledge-bases', { name: 'Doomed' });
      const id = created.body.id;
      await send(tenant.secret, 'POST', `/v1/knowledge-bases/${id}/documents?wait=30`, { documents: corpus });
      // Every table that holds a knowledge base's rows, found by ids taken before the delete.
      const ids = await testApp.database.query<{ documents: string[]; segments: string[] }>(
        `SELECT coalesce((SELECT array_agg(id) FROM knowledge_documents WHERE knowledge_base_id = $1), '{}') AS documents,
                coalesce((SELECT array_agg(id) FROM knowledge_segments WHERE knowledge_base_id = $1), '{}') AS segments`,
        [id],
      );
      const { documents, segments } = ids.rows[0]!;
      const rows = async () => {
        const result = await testApp.database.query<Record<string, number>>(
          `SELECT (SELECT count(*) FROM knowledge_bases WHERE id = $1)::int8 AS bases,
                  (SELECT count(*) FROM knowledge_documents WHERE knowledge_base_id = $1)::int8 AS documents,
                  (SELECT count(*) FROM knowledge_chunks WHERE knowledge_base_id = $1)::int8 AS chunks,
                  (SELECT count(*) FROM knowledge_staged_chunks WHERE document_id = ANY($2::text[]))::int8 AS staged,
                  (SELECT count(*) FROM knowledge_document_events WHERE document_id = ANY($2::text[]))::int8 AS events,
                  (SELECT count(*) FROM knowledge_segments WHERE knowledge_base_id = $1)::int8 AS segments,
                  (SELECT count(*) FROM knowledge_postings WHERE segment_id = ANY($3::text[]))::int8 AS postings,
                  (SELECT count(*) FROM knowledge_segment_members WHERE segment_id = ANY($3::text[]))::int8 AS members`,
          [id, documents, segments],
        );
        return result.rows[0]!;
      };
      const before = await rows();
      expect(before.bases).toBe(1);
      expect(before.documents).toBe(3);
      expect(before.chunks).toBeGreaterThanOrEqual(3);
      expect(before.events).toBeGreaterThanOrEqual(3);
      expect(before.segments).toBeGreaterThanOrEqual(1);
      expect(before.postings).toBeGreaterThan(0);
      expect(before.members).toBe(before.chunks);
      const deleted = await send(tenant.secret, 'DELETE', `/v1/knowledge-bases/${id}`);
      expect(deleted.body).toEqual({ id, object: 'knowledge_base.deleted', deleted: true });
      expect(await rows()).toEqual({
        bases: 0,
        documents: 0,
        chunks: 0,
        staged: 0,
        events: 0,
        segments: 0,
        postings: 0,
        members: 0,
      });
      expect((await send(tenant.secret, 'GET', `/v1/knowledge-bases/${id}`)).status).toBe(404);
      const audited = await testApp.database.query<{ action: string; before: unknown; after: unknown }>(
        `SELECT action, before, after FROM audit_log WHERE organization_id = $1 AND target_id = $2 ORDER BY id`,
        [tenant.organizationId, id],
      );
      expect(audited.rows.map((row) => row.action)).toEqual([
        'knowledge_base.created',
        'knowledge_base.deleted',
      ]);
      expect(audited.rows[1]).toMatchObject({
        before: { name: 'Doomed', embedding_model: 'sim/embed' },
        after: null,
      });
      // The other knowledge base of the organisation keeps its chunks.
      const others = await testApp.database.query<{ count: number }>(
        'SELECT count(*)::int8 AS count FROM knowledge_chunks WHERE knowledge_base_id = $1',
        [knowledgeBaseId],
      );
      expect(others.rows[0]!.count).toBeGreaterThan(0);
    });

    it('marks documents failed, with the error, when their embedding fails', async () => {
      const created = await send(tenant.secret, 'POST', '/v1/knowledge-bases', {
        name: 'Fragile',
        embedding_model: 'sim/embed-down',
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const url = `/v1/knowledge-bases/${created.body.id}/documents`;
      const refused = await send(tenant.secret, 'POST', `${url}?wait=30`, {
        title: 'Lost',
        text: 'Nothing will embed this.',
      });
      expect(refused.status, JSON.stringify(refused.body)).toBe(201);
      expect(refused.body).toMatchObject({ status: 'failed', chunks_embedded: 0 });
      expect(refused.body.error.code).toBe('PROVIDER_UNAVAILABLE');
      const documents = await send(tenant.secret, 'GET', url);
      expect(documents.body.data).toHaveLength(1);
      expect(documents.body.data[0]).toMatchObject({ title: 'Lost', status: 'failed', chunk_count: 1 });
      expect(documents.body.data[0].error).toEqual(refused.body.error);
      const chunks = await testApp.database.query<{ count: number }>(
        'SELECT count(*)::int8 AS count FROM knowledge_chunks WHERE knowledge_base_id = $1',
        [created.body.id],
      );
      expect(chunks.rows[0]!.count).toBe(0);
      const base = await send(tenant.secret, 'GET', `/v1/knowledge-bases/${created.body.id}`);
      expect(base.body).toMatchObject({ document_count: 0, chunk_count: 0, embedding_dimensions: null });
    });

    it('lets a viewer search but not write', async () => {
      const viewer = await createTenant(testApp, { name: 'viewer org', role: 'viewer' });
      const refused = await send(viewer.secret, 'POST', '/v1/knowledge-bases', { name: 'nope' });
      expect(refused.status).toBe(403);
      expect(JSON.stringify(refused.body)).toContain('knowledge:write');
      const listed = await send(viewer.secret, 'GET', '/v1/knowledge-bases');
      expect(listed.status).toBe(200);
    });
  });
}
