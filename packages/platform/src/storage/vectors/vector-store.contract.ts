import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/index.ts';
import type { ChunkVectorSupport } from './chunk-vectors.ts';
import type { StoredChunk, VectorStore } from './vector-store.ts';

/** A migrated store, the chunk store on it, and a way to remove both. */
export interface VectorStoreUnderTest {
  /** The schema owner's handle, used only to write the parent rows the chunks belong to. */
  owner: Database;
  store: VectorStore;
  cleanup(): Promise<void>;
}

const organizations = ['org_vectors_a', 'org_vectors_b'] as const;
const [organizationA, organizationB] = organizations;

/** A unit vector pointing mostly along `axis` (of 8), with a little of `next` to break ties. */
function direction(axis: number, lean = 0): number[] {
  const values: number[] = Array.from({ length: 8 }, (_unused, index) => (index === axis ? 1 : 0));
  values[(axis + 1) % 8] = lean;
  const norm = Math.hypot(...values);
  return values.map((value) => value / norm);
}

function chunk(
  overrides: Partial<StoredChunk> & Pick<StoredChunk, 'id' | 'documentId' | 'text' | 'embedding'>,
): StoredChunk {
  return {
    organizationId: organizationA,
    knowledgeBaseId: 'kb_a',
    position: 0,
    start: 0,
    end: overrides.text.length,
    tokenCount: 5,
    headings: [],
    metadata: {},
    ...overrides,
  };
}

async function seedParents(owner: Database): Promise<void> {
  for (const organization of organizations) {
    await owner.query('INSERT INTO organizations (id, name) VALUES ($1, $1)', [organization]);
  }
  const bases: [string, string][] = [
    ['kb_a', organizationA],
    ['kb_a_other', organizationA],
    ['kb_b', organizationB],
  ];
  for (const [id, organization] of bases) {
    await owner.query(
      `INSERT INTO knowledge_bases (id, organization_id, name, embedding_model, chunking, created_at, updated_at)
       VALUES ($1, $2, $1, 'sim/embed', '{}'::jsonb, now(), now())`,
      [id, organization],
    );
  }
  const documents: [string, string, string][] = [
    ['doc_cats', 'kb_a', organizationA],
    ['doc_dogs', 'kb_a', organizationA],
    ['doc_other_base', 'kb_a_other', organizationA],
    ['doc_b', 'kb_b', organizationB],
  ];
  for (const [id, base, organization] of documents) {
    await owner.query(
      `INSERT INTO knowledge_documents (id, organization_id, knowledge_base_id, title, status, content,
         character_count, created_at, updated_at)
       VALUES ($1, $2, $3, $1, 'ready', 'text', 4, now(), now())`,
      [id, organization, base],
    );
  }
}

/**
 * The behaviour every vector store backend shares: upserts, deletes by document and by knowledge
 * base, nearest neighbours and full-text matches scoped to one organisation and one knowledge
 * base, metadata filters. Statements run as one organisation (row-level security), as services do.
 */
export function runVectorStoreContract(
  name: string,
  expectedMode: ChunkVectorSupport['mode'],
  factory: () => Promise<VectorStoreUnderTest>,
): void {
  describe(`VectorStore contract: ${name}`, () => {
    let underTest: VectorStoreUnderTest;
    let store: VectorStore;
    let asA: Database;
    let asB: Database;
    const scopeA = { organizationId: organizationA, knowledgeBaseId: 'kb_a' };

    beforeAll(async () => {
      underTest = await factory();
      store = underTest.store;
      await seedParents(underTest.owner);
      asA = underTest.owner.forOrganization(organizationA);
      asB = underTest.owner.forOrganization(organizationB);
      await store.upsert(asA, [
        chunk({
          id: 'chunk_cats_1',
          documentId: 'doc_cats',
          text: 'Cats purr when they are content and sleep most of the day.',
          embedding: direction(0, 0.1),
          metadata: { animal: 'cat', lang: 'en' },
        }),
        chunk({
          id: 'chunk_cats_2',
          documentId: 'doc_cats',
          position: 1,
          start: 60,
          end: 100,
          text: 'A kitten needs vaccinations in its first months.',
          embedding: direction(0, 0.6),
          metadata: { animal: 'cat', lang: 'en' },
          headings: ['Care', 'Health'],
        }),
        chunk({
          id: 'chunk_dogs_1',
          documentId: 'doc_dogs',
          text: 'Dogs bark at strangers and love long walks in the park.',
          embedding: direction(3),
          metadata: { animal: 'dog', lang: 'en' },
        }),
      ]);
      await store.upsert(asA, [
        chunk({
          id: 'chunk_other_base',
          knowledgeBaseId: 'kb_a_other',
          documentId: 'doc_other_base',
          text: 'Cats in another knowledge base purr as well.',
          embedding: direction(0),
        }),
      ]);
      await store.upsert(asB, [
        chunk({
          id: 'chunk_b',
          organizationId: organizationB,
          knowledgeBaseId: 'kb_b',
          documentId: 'doc_b',
          text: 'Cats of organisation B purr loudly.',
          embedding: direction(0),
        }),
      ]);
    });

    afterAll(async () => {
      await underTest?.cleanup();
    });

    it(`searches by ${expectedMode}`, () => {
      expect(store.support.mode).toBe(expectedMode);
    });

    it('finds the nearest chunks of one knowledge base, best first, with ranks and offsets', async () => {
      const hits = await store.searchVector(asA, { ...scopeA, limit: 10 }, direction(0));
      expect(hits.map((hit) => hit.chunkId)).toEqual(['chunk_cats_1', 'chunk_cats_2', 'chunk_dogs_1']);
      expect(hits.map((hit) => hit.rank)).toEqual([1, 2, 3]);
      expect(hits[0]!.score).toBeCloseTo(1 / Math.hypot(1, 0.1), 5);
      expect(hits[2]!.score).toBeCloseTo(0, 5);
      expect(hits[1]).toMatchObject({
        documentId: 'doc_cats',
        position: 1,
        start: 60,
        end: 100,
        headings: ['Care', 'Health'],
        metadata: { animal: 'cat', lang: 'en' },
      });
    });

    it('limits the hits and filters them by metadata containment', async () => {
      const top = await store.searchVector(asA, { ...scopeA, limit: 1 }, direction(3));
      expect(top.map((hit) => hit.chunkId)).toEqual(['chunk_dogs_1']);
      const filtered = await store.searchVector(
        asA,
        { ...scopeA, limit: 10, filter: { animal: 'dog' } },
        direction(0),
      );
      expect(filtered.map((hit) => hit.chunkId)).toEqual(['chunk_dogs_1']);
      const none = await store.searchKeyword(
        asA,
        { ...scopeA, limit: 10, filter: { animal: 'fish' } },
        'cats',
      );
      expect(none).toEqual([]);
    });

    it('ignores vectors of another dimension', async () => {
      expect(await store.searchVector(asA, { ...scopeA, limit: 10 }, [1, 0, 0])).toEqual([]);
    });

    it('matches any word of a keyword query with stemming, ranked', async () => {
      const hits = await store.searchKeyword(asA, { ...scopeA, limit: 10 }, 'purring cat');
      expect(hits.map((hit) => hit.chunkId)).toEqual(['chunk_cats_1']);
      const either = await store.searchKeyword(asA, { ...scopeA, limit: 10 }, 'kittens or barking dogs?');
      expect(either.map((hit) => hit.chunkId).sort()).toEqual(['chunk_cats_2', 'chunk_dogs_1']);
      expect(either[0]!.score).toBeGreaterThan(0);
      expect(either[0]!.score).toBeLessThan(1);
      expect(either[0]!.score).toBeGreaterThanOrEqual(either[1]!.score);
      expect(await store.searchKeyword(asA, { ...scopeA, limit: 10 }, 'the and of')).toEqual([]);
    });

    it("never returns another organisation's or another knowledge base's chunks", async () => {
      const vector = await store.searchVector(asA, { ...scopeA, limit: 10 }, direction(0));
      const keyword = await store.searchKeyword(asA, { ...scopeA, limit: 10 }, 'purr');
      const ids = [...vector, ...keyword].map((hit) => hit.chunkId);
      expect(ids).not.toContain('chunk_b');
      expect(ids).not.toContain('chunk_other_base');
      // Asking for organisation B's knowledge base with A's handle: row-level security shows nothing.
      const scopeB = { organizationId: organizationB, knowledgeBaseId: 'kb_b', limit: 10 };
      expect(await store.searchVector(asA, scopeB, direction(0))).toEqual([]);
      expect(await store.searchKeyword(asA, scopeB, 'purr')).toEqual([]);
      expect((await store.searchVector(asB, scopeB, direction(0))).map((hit) => hit.chunkId)).toEqual([
        'chunk_b',
      ]);
    });

    it('replaces a chunk upserted again under its id', async () => {
      await store.upsert(asA, [
        chunk({
          id: 'chunk_dogs_1',
          documentId: 'doc_dogs',
          text: 'Dogs fetch sticks.',
          embedding: direction(5),
          metadata: { animal: 'dog', lang: 'en' },
        }),
      ]);
      const hits = await store.searchVector(asA, { ...scopeA, limit: 1 }, direction(5));
      expect(hits[0]).toMatchObject({ chunkId: 'chunk_dogs_1', text: 'Dogs fetch sticks.' });
      expect(await store.searchKeyword(asA, { ...scopeA, limit: 10 }, 'fetch')).toHaveLength(1);
      expect(await store.searchKeyword(asA, { ...scopeA, limit: 10 }, 'bark')).toEqual([]);
      expect(await store.count(asA, scopeA)).toBe(3);
    });

    it('deletes by document, then by knowledge base, in its own organisation only', async () => {
      expect(await store.deleteByDocument(asB, { ...scopeA, documentId: 'doc_cats' })).toBe(0);
      expect(await store.deleteByDocument(asA, { ...scopeA, documentId: 'doc_cats' })).toBe(2);
      expect(await store.count(asA, scopeA)).toBe(1);
      expect(await store.deleteByKnowledgeBase(asA, scopeA)).toBe(1);
      expect(await store.count(asA, scopeA)).toBe(0);
      expect(await store.searchVector(asA, { ...scopeA, limit: 10 }, direction(0))).toEqual([]);
      expect(await store.count(asA, { organizationId: organizationA, knowledgeBaseId: 'kb_a_other' })).toBe(
        1,
      );
      expect(await store.count(asB, { organizationId: organizationB, knowledgeBaseId: 'kb_b' })).toBe(1);
    });
  });
}
