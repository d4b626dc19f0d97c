import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemporaryDatabase, postgresAvailable } from '../../../../test/support/services.ts';
import { type Database, migrateDatabase, openDatabase } from '../../db/index.ts';
import { createVectorStore } from '../vector-store.ts';
import { hydrateCandidates } from './hydrate-hits.ts';

interface OpenedStore {
  owner: Database;
  drop(): Promise<void>;
}

/** The PostgreSQL half of a Qdrant search, on a real store: which candidates survive, in which order. */
function hydrationSuite(backend: string, open: () => Promise<OpenedStore>): void {
  describe(`hydrating Qdrant's candidates from ${backend}`, () => {
    let opened: OpenedStore;
    let owner: Database;
    let asA: Database;
    const scope = { organizationId: 'org_h_a', knowledgeBaseId: 'kb_h_a', limit: 10 };

    beforeAll(async () => {
      opened = await open();
      owner = opened.owner;
      await migrateDatabase(owner);
      for (const [organization, base] of [
        ['org_h_a', 'kb_h_a'],
        ['org_h_a', 'kb_h_a_other'],
        ['org_h_b', 'kb_h_b'],
      ] as const) {
        await owner.query('INSERT INTO organizations (id, name) VALUES ($1, $1) ON CONFLICT DO NOTHING', [
          organization,
        ]);
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
      asA = owner.forOrganization('org_h_a');
      const rows = createVectorStore({ mode: 'exact-scan', iterativeScan: false });
      const chunk = (id: string, base: string, organization: string, embedding: number[], metadata = {}) => ({
        id,
        organizationId: organization,
        knowledgeBaseId: base,
        documentId: `doc_${base}`,
        position: 1,
        text: `text of ${id}`,
        start: 4,
        end: 9,
        tokenCount: 2,
        headings: ['Title'],
        metadata,
        embedding,
      });
      await rows.upsert(asA, [
        chunk('h_one', 'kb_h_a', 'org_h_a', [1, 0], { tag: 'x' }),
        chunk('h_two', 'kb_h_a', 'org_h_a', [0, 1], { tag: ['x'] }),
        chunk('h_three_dims', 'kb_h_a', 'org_h_a', [0, 1, 0], { tag: 'x' }),
        chunk('h_other_base', 'kb_h_a_other', 'org_h_a', [1, 0]),
      ]);
      await rows.upsert(owner.forOrganization('org_h_b'), [chunk('h_b', 'kb_h_b', 'org_h_b', [1, 0])]);
    });

    afterAll(async () => {
      await owner?.close();
      await opened?.drop();
    });

    it("keeps Qdrant's order and scores, with text, offsets, headings and metadata from the row", async () => {
      const hits = await hydrateCandidates(asA, scope, 2, [
        { chunkId: 'h_two', score: 0.9 },
        { chunkId: 'h_one', score: 0.5 },
      ]);
      expect(hits).toEqual([
        {
          chunkId: 'h_two',
          documentId: 'doc_kb_h_a',
          position: 1,
          text: 'text of h_two',
          start: 4,
          end: 9,
          headings: ['Title'],
          metadata: { tag: ['x'] },
          score: 0.9,
        },
        expect.objectContaining({ chunkId: 'h_one', score: 0.5 }),
      ]);
    });

    it('drops candidates without a row, of another knowledge base, organisation or dimension, and duplicates', async () => {
      const hits = await hydrateCandidates(asA, scope, 2, [
        { chunkId: 'h_missing', score: 1 },
        { chunkId: 'h_other_base', score: 1 },
        { chunkId: 'h_b', score: 1 },
        { chunkId: 'h_three_dims', score: 1 },
        { chunkId: 'h_one', score: 0.7 },
        { chunkId: 'h_one', score: 0.6 },
      ]);
      expect(hits.map((hit) => [hit.chunkId, hit.score])).toEqual([['h_one', 0.7]]);
      // Organisation B's chunk stays hidden from A's handle even when the scope names B.
      const forged = await hydrateCandidates(
        asA,
        { ...scope, organizationId: 'org_h_b', knowledgeBaseId: 'kb_h_b' },
        2,
        [{ chunkId: 'h_b', score: 1 }],
      );
      expect(forged).toEqual([]);
    });

    it('applies the metadata filter as containment: a scalar filter does not match an array', async () => {
      const hits = await hydrateCandidates(asA, { ...scope, filter: { tag: 'x' } }, 2, [
        { chunkId: 'h_two', score: 0.9 },
        { chunkId: 'h_one', score: 0.5 },
      ]);
      expect(hits.map((hit) => hit.chunkId)).toEqual(['h_one']);
      expect(await hydrateCandidates(asA, scope, 2, [])).toEqual([]);
    });
  });
}

hydrationSuite('PGlite', async () => ({
  owner: await openDatabase({ dataDirectory: 'memory://' }),
  drop: async () => {},
}));

if (await postgresAvailable()) {
  hydrationSuite('PostgreSQL', async () => {
    const temporary = await createTemporaryDatabase();
    return {
      owner: await openDatabase({ databaseUrl: temporary.url, dataDirectory: 'memory://' }),
      drop: () => temporary.drop(),
    };
  });
}
