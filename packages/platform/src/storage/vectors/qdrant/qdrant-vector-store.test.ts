import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qdrantAvailable, testQdrantApiKey, testQdrantUrl } from '../../../../test/support/services.ts';
import { type Database, migrateDatabase, openDatabase } from '../../db/index.ts';
import { runVectorStoreContract } from '../vector-store.contract.ts';
import { createVectorStore, type VectorStore } from '../vector-store.ts';
import { openQdrantVectorStore } from './open-qdrant-vector-store.ts';
import { chunkPointId } from './point-id.ts';
import { createQdrantClient } from './qdrant-client.ts';
import { createQdrantVectorStore } from './qdrant-vector-store.ts';

const sqlRows = () => createVectorStore({ mode: 'exact-scan', iterativeScan: false });
const connection = { url: testQdrantUrl, apiKey: testQdrantApiKey, timeoutMs: 10_000 };

/** A collection prefix of its own per suite, so runs never share points; the suite removes them. */
function suitePrefix(): string {
  return `kimi_test_${randomBytes(4).toString('hex')}`;
}

async function dropCollections(prefix: string): Promise<void> {
  const client = createQdrantClient(connection);
  const { collections } = await client.getCollections();
  for (const { name } of collections) {
    if (name.startsWith(`${prefix}_`)) await client.deleteCollection(name);
  }
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('opening the Qdrant vector store', () => {
  it('fails the start with a message naming QDRANT_URL when no server answers', async () => {
    const port = await closedPort();
    await expect(
      openQdrantVectorStore({
        connection: { url: `http://user:secret@127.0.0.1:${port}`, timeoutMs: 2000 },
        rows: sqlRows(),
        collectionPrefix: 'kimi_chunks',
        upsertBatchSize: 16,
      }),
    ).rejects.toThrow(
      new RegExp(
        `^QDRANT_URL \\(vectors\\.qdrant\\.url\\): Qdrant did not answer at http://127\\.0\\.0\\.1:${port}`,
      ),
    );
  });

  it('names no credentials of the URL in that message', async () => {
    const port = await closedPort();
    const failure = await openQdrantVectorStore({
      connection: { url: `http://user:secret@127.0.0.1:${port}`, apiKey: 'key-secret', timeoutMs: 2000 },
      rows: sqlRows(),
      collectionPrefix: 'kimi_chunks',
      upsertBatchSize: 16,
    }).catch((error: Error) => error);
    expect(String(failure)).not.toMatch(/secret/);
  });
});

if (await qdrantAvailable()) {
  runVectorStoreContract('Qdrant, chunk rows in PGlite', 'qdrant', async () => {
    const owner = await openDatabase({ dataDirectory: 'memory://' });
    await migrateDatabase(owner);
    const prefix = suitePrefix();
    const store = createQdrantVectorStore({
      client: createQdrantClient(connection),
      rows: sqlRows(),
      collectionPrefix: prefix,
      // why 2: the contract's upserts of three chunks then take two requests.
      upsertBatchSize: 2,
    });
    return {
      owner,
      store,
      async cleanup() {
        await dropCollections(prefix);
        await owner.close();
      },
    };
  });

  describe('Qdrant vector store beyond the contract', () => {
    const prefix = suitePrefix();
    const client = createQdrantClient(connection);
    let owner: Database;
    let store: VectorStore;
    let asA: Database;
    const scope = { organizationId: 'org_q_a', knowledgeBaseId: 'kb_q_a' };
    const collection = `${prefix}_4`;

    beforeAll(async () => {
      owner = await openDatabase({ dataDirectory: 'memory://' });
      await migrateDatabase(owner);
      store = createQdrantVectorStore({
        client,
        rows: sqlRows(),
        collectionPrefix: prefix,
        upsertBatchSize: 64,
      });
      for (const [organization, base] of [
        ['org_q_a', 'kb_q_a'],
        ['org_q_b', 'kb_q_b'],
      ] as const) {
        await owner.query('INSERT INTO organizations (id, name) VALUES ($1, $1)', [organization]);
        await owner.query(
          `INSERT INTO knowledge_bases (id, organization_id, name, embedding_model, chunking, created_at, updated_at)
           VALUES ($1, $2, $1, 'sim/embed', '{}'::jsonb, now(), now())`,
          [base, organization],
        );
        await owner.query(
          `INSERT INTO knowledge_documents (id, organization_id, knowledge_base_id, title, status, content,
             character_count, created_at, updated_at)
           VALUES ($1, $2, $3, $1, 'ready', 'text', 4, now(), now())`,
          [`doc_${base}`, organization, base],
        );
      }
      asA = owner.forOrganization('org_q_a');
      const chunk = (id: string, embedding: number[], metadata: Record<string, unknown>) => ({
        id,
        organizationId: 'org_q_a',
        knowledgeBaseId: 'kb_q_a',
        documentId: 'doc_kb_q_a',
        position: 0,
        text: `text of ${id}`,
        start: 0,
        end: 10,
        tokenCount: 3,
        headings: [],
        metadata,
        embedding,
      });
      await store.upsert(asA, [
        chunk('q_scalar', [1, 0.2, 0, 0], { tag: 'x' }),
        chunk('q_array', [1, 0.1, 0, 0], { tag: ['x', 'y'] }),
        chunk('q_far', [0, 0, 1, 0], { tag: 'x' }),
      ]);
      await store.upsert(owner.forOrganization('org_q_b'), [
        {
          ...chunk('q_other_org', [1, 0, 0, 0], {}),
          organizationId: 'org_q_b',
          knowledgeBaseId: 'kb_q_b',
          documentId: 'doc_kb_q_b',
        },
      ]);
    });

    afterAll(async () => {
      await dropCollections(prefix);
      await owner?.close();
    });

    it('creates one cosine collection per dimension, with keyword indexes on the scope fields', async () => {
      const info = await client.getCollection(collection);
      expect(info.config.params.vectors).toMatchObject({ size: 4, distance: 'Cosine' });
      expect(Object.keys(info.payload_schema).sort()).toEqual([
        'document_id',
        'knowledge_base_id',
        'organization_id',
      ]);
    });

    it('applies metadata containment exactly, though Qdrant matches a scalar inside an array too', async () => {
      const scalar = await store.searchVector(
        asA,
        { ...scope, limit: 10, filter: { tag: 'x' } },
        [1, 0, 0, 0],
      );
      expect(scalar.map((hit) => hit.chunkId)).toEqual(['q_scalar', 'q_far']);
      const array = await store.searchVector(
        asA,
        { ...scope, limit: 10, filter: { tag: ['y'] } },
        [1, 0, 0, 0],
      );
      expect(array.map((hit) => hit.chunkId)).toEqual(['q_array']);
      // A filter Qdrant cannot express (a key with a dot) is applied in SQL alone.
      const dotted = await store.searchVector(
        asA,
        { ...scope, limit: 10, filter: { 'a.b': 1 } },
        [1, 0, 0, 0],
      );
      expect(dotted).toEqual([]);
    });

    it('drops points without a row, and of another organisation, and still fills the limit', async () => {
      // Points a rolled-back transaction would leave, nearer the query than any real chunk, and a
      // point that claims organisation A's scope for organisation B's chunk.
      const orphans = Array.from({ length: 6 }, (_unused, index) => ({
        id: chunkPointId(`q_orphan_${index}`),
        vector: [1, 0, 0, 0],
        payload: {
          organization_id: 'org_q_a',
          knowledge_base_id: 'kb_q_a',
          document_id: 'doc_kb_q_a',
          chunk_id: `q_orphan_${index}`,
          metadata: {},
        },
      }));
      const forged = {
        id: chunkPointId('q_forged'),
        vector: [1, 0, 0, 0],
        payload: {
          organization_id: 'org_q_a',
          knowledge_base_id: 'kb_q_a',
          document_id: 'doc_kb_q_a',
          chunk_id: 'q_other_org',
          metadata: {},
        },
      };
      await client.upsert(collection, { wait: true, points: [...orphans, forged] });
      const hits = await store.searchVector(asA, { ...scope, limit: 2 }, [1, 0, 0, 0]);
      expect(hits.map((hit) => [hit.chunkId, hit.rank])).toEqual([
        ['q_array', 1],
        ['q_scalar', 2],
      ]);
      expect(hits[0]).toMatchObject({ documentId: 'doc_kb_q_a', text: 'text of q_array', start: 0, end: 10 });
    });

    it('removes the points of a knowledge base with its rows', async () => {
      expect(await store.deleteByKnowledgeBase(asA, scope)).toBe(3);
      const left = await client.count(collection, {
        exact: true,
        filter: { must: [{ key: 'knowledge_base_id', match: { value: 'kb_q_a' } }] },
      });
      expect(left.count).toBe(0);
      const other = await client.count(collection, {
        exact: true,
        filter: { must: [{ key: 'knowledge_base_id', match: { value: 'kb_q_b' } }] },
      });
      expect(other.count).toBe(1);
    });
  });

  it('reports the version of the server it opened', async () => {
    const opened = await openQdrantVectorStore({
      connection,
      rows: sqlRows(),
      collectionPrefix: suitePrefix(),
      upsertBatchSize: 16,
    });
    expect(opened.serverVersion).toMatch(/^\d+\.\d+/);
    expect(opened.store.support.mode).toBe('qdrant');
  });
} else {
  describe.skip('VectorStore contract: Qdrant (set TEST_QDRANT_URL to a running server)', () => {
    it('runs the vector store contract against Qdrant', () => {});
  });
}
