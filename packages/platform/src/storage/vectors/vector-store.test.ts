import { describe, expect, it } from 'vitest';
import { createTemporaryDatabase, postgresAvailable } from '../../../test/support/services.ts';
import { migrateDatabase, openDatabase } from '../db/index.ts';
import { prepareChunkVectors } from './chunk-vectors.ts';
import { runVectorStoreContract } from './vector-store.contract.ts';
import { createVectorStore } from './vector-store.ts';

/** The chunk store on every backend: pgvector in PGlite, the exact scan in PGlite and in PostgreSQL. */
runVectorStoreContract('PGlite with pgvector (HNSW)', 'pgvector', async () => {
  const owner = await openDatabase({ dataDirectory: 'memory://', extensions: 'vector' });
  await migrateDatabase(owner);
  const store = createVectorStore(await prepareChunkVectors(owner));
  return { owner, store, cleanup: () => owner.close() };
});

runVectorStoreContract('PGlite, exact scan', 'exact-scan', async () => {
  const owner = await openDatabase({ dataDirectory: 'memory://' });
  await migrateDatabase(owner);
  const store = createVectorStore(await prepareChunkVectors(owner));
  return { owner, store, cleanup: () => owner.close() };
});

if (await postgresAvailable()) {
  runVectorStoreContract('PostgreSQL without pgvector (exact scan)', 'exact-scan', async () => {
    const temporary = await createTemporaryDatabase();
    const owner = await openDatabase({ databaseUrl: temporary.url, dataDirectory: 'memory://' });
    await migrateDatabase(owner);
    const store = createVectorStore(await prepareChunkVectors(owner));
    return {
      owner,
      store,
      async cleanup() {
        await owner.close();
        await temporary.drop();
      },
    };
  });
}

describe('pgvector HNSW indexes', () => {
  it('are created per dimension at start-up and answer the scoped nearest-neighbour query', async () => {
    const owner = await openDatabase({ dataDirectory: 'memory://', extensions: 'vector' });
    try {
      await migrateDatabase(owner);
      await owner.query("INSERT INTO organizations (id, name) VALUES ('org_index', 'index')");
      await owner.query(
        `INSERT INTO knowledge_bases (id, organization_id, name, embedding_model, embedding_dimensions, chunking,
           created_at, updated_at)
         VALUES ('kb_index', 'org_index', 'index', 'custom/embed', 3, '{}'::jsonb, now(), now())`,
      );
      const support = await prepareChunkVectors(owner);
      expect(support).toEqual({ mode: 'pgvector', iterativeScan: true });
      const indexes = await owner.query<{ name: string }>(
        "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'knowledge_chunks' AND indexname LIKE '%hnsw%'",
      );
      expect(indexes.rows.map((row) => row.name).sort()).toEqual(
        [3, 256, 384, 512, 768, 1024, 1536].map((size) => `knowledge_chunks_hnsw_${size}_idx`).sort(),
      );
      // With sequential scans off, the planner can only answer through the index if it matches the query.
      const plan = await owner.transaction(async (transaction) => {
        await transaction.query("SELECT set_config('enable_seqscan', 'off', true)");
        const explained = await transaction.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN SELECT c.id FROM knowledge_chunks c
            WHERE c.organization_id = 'org_index' AND c.knowledge_base_id = 'kb_index'
              AND c.metadata @> '{}'::jsonb AND vector_dims(c.embedding_vector) = 3
            ORDER BY c.embedding_vector::vector(3) <=> '[1,0,0]'::vector(3) LIMIT 5`,
        );
        return explained.rows.map((row) => row['QUERY PLAN']).join('\n');
      });
      expect(plan).toContain('knowledge_chunks_hnsw_3_idx');

      // A chunk written without pgvector is found by vector search after the next start-up.
      await owner.query(
        `INSERT INTO knowledge_documents (id, organization_id, knowledge_base_id, title, status, content,
           character_count, created_at, updated_at)
         VALUES ('doc_index', 'org_index', 'kb_index', 'd', 'ready', 'old text', 8, now(), now())`,
      );
      const asOrganization = owner.forOrganization('org_index');
      await createVectorStore({ mode: 'exact-scan', iterativeScan: false }).upsert(asOrganization, [
        {
          id: 'chunk_old',
          organizationId: 'org_index',
          knowledgeBaseId: 'kb_index',
          documentId: 'doc_index',
          position: 0,
          text: 'old text',
          start: 0,
          end: 8,
          tokenCount: 2,
          headings: [],
          metadata: {},
          embedding: [0, 1, 0],
        },
      ]);
      const scope = { organizationId: 'org_index', knowledgeBaseId: 'kb_index', limit: 5 };
      const pgvector = createVectorStore(support);
      expect(await pgvector.searchVector(asOrganization, scope, [0, 1, 0])).toEqual([]);
      await prepareChunkVectors(owner);
      const hits = await pgvector.searchVector(asOrganization, scope, [0, 1, 0]);
      expect(hits.map((hit) => [hit.chunkId, hit.score])).toEqual([['chunk_old', 1]]);
    } finally {
      await owner.close();
    }
  });
});
