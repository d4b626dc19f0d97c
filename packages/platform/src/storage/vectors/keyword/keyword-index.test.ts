import { describe, expect, it } from 'vitest';
import { createTemporaryDatabase, postgresAvailable } from '../../../../test/support/services.ts';
import { type Database, migrateDatabase, openDatabase } from '../../db/index.ts';
import { prepareChunkVectors } from '../chunk-vectors.ts';
import { createVectorStore, type StoredChunk } from '../vector-store.ts';

const organizationId = 'org_keyword';
const knowledgeBaseId = 'kb_keyword';
const scope = { organizationId, knowledgeBaseId };
const words = [
  'wing',
  'flow',
  'heat',
  'shock',
  'plate',
  'boundary',
  'layer',
  'mach',
  'cone',
  'jet',
  'nozzle',
  'drag',
];

function textOf(seed: number): string {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state;
  };
  return Array.from({ length: 8 + (next() % 30) }, () => words[next() % words.length]).join(' ');
}

async function seed(owner: Database, documents: number): Promise<void> {
  await owner.query('INSERT INTO organizations (id, name) VALUES ($1, $1)', [organizationId]);
  await owner.query(
    `INSERT INTO knowledge_bases (id, organization_id, name, embedding_model, chunking, created_at, updated_at)
     VALUES ($1, $2, 'keyword', 'sim/embed', '{}'::jsonb, now(), now())`,
    [knowledgeBaseId, organizationId],
  );
  for (let index = 0; index < documents; index += 1) {
    await owner.query(
      `INSERT INTO knowledge_documents (id, organization_id, knowledge_base_id, title, status, content,
         character_count, created_at, updated_at)
       VALUES ($1, $2, $3, $1, 'ready', 'text', 4, now(), now())`,
      [`doc_${index}`, organizationId, knowledgeBaseId],
    );
  }
}

const chunksOf = (document: number, version = 0): StoredChunk[] =>
  Array.from({ length: 4 }, (_, position) => {
    const text = textOf(document * 31 + position * 7 + version * 1000 + 1);
    return {
      id: `chunk_${document}_${position}`,
      organizationId,
      knowledgeBaseId,
      documentId: `doc_${document}`,
      position,
      text,
      start: 0,
      end: text.length,
      tokenCount: text.split(' ').length,
      headings: [],
      metadata: { all: true },
      embedding: [1, 0, 0],
    };
  });

/** Hits as comparable rows: the order of equal scores is each path's own tie-break. */
const comparable = (hits: Array<{ chunkId: string; score: number }>) =>
  hits
    .map((hit) => ({ chunkId: hit.chunkId, score: Number(hit.score.toFixed(9)) }))
    .sort((a, b) => b.score - a.score || a.chunkId.localeCompare(b.chunkId));

function keywordIndexSuite(name: string, open: () => Promise<{ owner: Database; close(): Promise<void> }>) {
  describe(`keyword index (${name})`, () => {
    it('ranks exactly as BM25 over the chunks in SQL, through merges, deletions and rewrites', async () => {
      const { owner, close } = await open();
      try {
        await migrateDatabase(owner);
        await seed(owner, 25);
        const store = createVectorStore(await prepareChunkVectors(owner, { mode: 'exact-scan' }), {
          database: owner,
          onMaintenanceError: (error) => {
            throw error;
          },
        });
        const asOrganization = owner.forOrganization(organizationId);
        for (let document = 0; document < 25; document += 1) {
          await store.upsert(asOrganization, chunksOf(document));
        }
        await store.deleteByDocument(asOrganization, { ...scope, documentId: 'doc_3' });
        await store.deleteByDocument(asOrganization, { ...scope, documentId: 'doc_17' });
        await store.upsert(asOrganization, chunksOf(5, 1));
        await store.idle();

        const segments = await asOrganization.query<{ count: number }>(
          'SELECT count(*)::int8 AS count FROM knowledge_segments WHERE knowledge_base_id = $1',
          [knowledgeBaseId],
        );
        expect(segments.rows[0]!.count).toBeLessThan(10);
        for (const query of [
          'wing heat',
          'shock boundary layer',
          'mach cone nozzle drag',
          'plates flowing',
        ]) {
          const fromIndex = await store.searchKeyword(asOrganization, { ...scope, limit: 30 }, query);
          const fromSql = await store.searchKeyword(
            asOrganization,
            { ...scope, filter: { all: true }, limit: 30 },
            query,
          );
          expect(fromIndex.length).toBeGreaterThan(0);
          expect(fromIndex.some((hit) => hit.documentId === 'doc_3' || hit.documentId === 'doc_17')).toBe(
            false,
          );
          // Equal scores at the cut may fall on either side of it; compare the ranks both agree on.
          expect(comparable(fromIndex).slice(0, 20)).toEqual(comparable(fromSql).slice(0, 20));
        }

        await store.deleteByKnowledgeBase(asOrganization, scope);
        for (const table of [
          'knowledge_chunks',
          'knowledge_segments',
          'knowledge_postings',
          'knowledge_segment_members',
        ]) {
          const rows = await owner.query<{ count: number }>(`SELECT count(*)::int8 AS count FROM ${table}`);
          expect(rows.rows[0]!.count, table).toBe(0);
        }
      } finally {
        await close();
      }
    }, 120_000);
  });
}

keywordIndexSuite('PGlite', async () => {
  const owner = await openDatabase({ dataDirectory: 'memory://' });
  return { owner, close: () => owner.close() };
});

if (await postgresAvailable()) {
  keywordIndexSuite('PostgreSQL', async () => {
    const temporary = await createTemporaryDatabase();
    const owner = await openDatabase({ databaseUrl: temporary.url, dataDirectory: 'memory://' });
    return {
      owner,
      async close() {
        await owner.close();
        await temporary.drop();
      },
    };
  });
}
