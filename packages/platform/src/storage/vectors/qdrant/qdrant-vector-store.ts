import type { Schemas } from '@qdrant/js-client-rest';
import type { Database, Queryable } from '../../db/index.ts';
import type { ChunkHit, ChunkScope, DocumentScope, StoredChunk, VectorStore } from '../vector-store.ts';
import { hydrateCandidates, type UnrankedHit } from './hydrate-hits.ts';
import { translateMetadataFilter } from './metadata-filter.ts';
import { chunkPointId } from './point-id.ts';
import type { QdrantPointsClient } from './qdrant-client.ts';
import { createQdrantCollections } from './qdrant-collections.ts';
import { callQdrant } from './qdrant-errors.ts';

export interface QdrantVectorStoreOptions {
  client: QdrantPointsClient;
  /**
   * The SQL store that keeps the chunk rows: text, offsets, metadata, the `tsvector` of keyword
   * search and the `real[]` embedding. Keyword search, counts and row deletes are its own.
   */
  rows: VectorStore;
  /** Collections are `<prefix>_<dimensions>`. */
  collectionPrefix: string;
  /** Points per upsert request. */
  upsertBatchSize: number;
}

/** Candidates per Qdrant page beyond the first: doubling, up to this. */
const largestPage = 1024;
/** How many more candidates than `limit` the first page reads when the filter is only partly Qdrant's. */
const partialFilterOverscan = 4;

const keyword = (key: string, value: string): Schemas['Condition'] => ({ key, match: { value } });

function scopeConditions(scope: { organizationId: string; knowledgeBaseId: string }): Schemas['Condition'][] {
  return [
    keyword('organization_id', scope.organizationId),
    keyword('knowledge_base_id', scope.knowledgeBaseId),
  ];
}

function byScore(left: UnrankedHit, right: UnrankedHit): number {
  // The SQL store's order: score, then chunk id among equals.
  if (right.score !== left.score) return right.score - left.score;
  return left.chunkId < right.chunkId ? -1 : left.chunkId > right.chunkId ? 1 : 0;
}

/** Whether `database` sees the knowledge base: row-level security decides whose points a handle may delete. */
async function knowledgeBaseVisible(database: Queryable, scope: Omit<DocumentScope, 'documentId'>) {
  const result = await database.query(
    'SELECT 1 FROM knowledge_bases WHERE organization_id = $1 AND id = $2',
    [scope.organizationId, scope.knowledgeBaseId],
  );
  return result.rowCount > 0;
}

/**
 * The vector store with vectors in Qdrant and chunk rows in PostgreSQL. Every write goes to
 * PostgreSQL first, through the caller's handle (so row-level security refuses another
 * organisation's rows before Qdrant sees them), then to Qdrant with `wait: true`.
 *
 * Consistency. Qdrant is not part of the caller's transaction:
 * - an upsert whose transaction later rolls back leaves points without rows. Vector search reads
 *   every hit's row from PostgreSQL and drops candidates without one, so such points never reach
 *   a result; deleting the document or the knowledge base later removes them.
 * - deletes remove the points by a filter on the scope (every collection of the prefix, since a
 *   point's dimension is not known there) once PostgreSQL has deleted the rows, so the normal path
 *   orphans nothing. A transaction that rolls back after that keeps its rows but not their points:
 *   they are found by keyword search only until the document is ingested again.
 */
export function createQdrantVectorStore(options: QdrantVectorStoreOptions): VectorStore {
  const { client, rows, upsertBatchSize } = options;
  const collections = createQdrantCollections(client, options.collectionPrefix);

  async function deletePoints(conditions: Schemas['Condition'][]): Promise<void> {
    const names = await callQdrant('list its collections', () => collections.list());
    for (const collection of names) {
      await callQdrant('delete points', () =>
        client.delete(collection, { wait: true, filter: { must: conditions } }),
      );
    }
  }

  async function upsertPoints(chunks: readonly StoredChunk[]): Promise<void> {
    const byDimensions = new Map<number, StoredChunk[]>();
    for (const chunk of chunks) {
      // why skipped: Qdrant stores no empty vector, and no search can match one (the SQL store's neither).
      if (chunk.embedding.length === 0) continue;
      const group = byDimensions.get(chunk.embedding.length) ?? [];
      group.push(chunk);
      byDimensions.set(chunk.embedding.length, group);
    }
    for (const [dimensions, group] of byDimensions) {
      const collection = await callQdrant('create a collection', () => collections.ensure(dimensions));
      for (let start = 0; start < group.length; start += upsertBatchSize) {
        const points = group.slice(start, start + upsertBatchSize).map((chunk) => ({
          id: chunkPointId(chunk.id),
          vector: [...chunk.embedding],
          payload: {
            organization_id: chunk.organizationId,
            knowledge_base_id: chunk.knowledgeBaseId,
            document_id: chunk.documentId,
            chunk_id: chunk.id,
            metadata: chunk.metadata,
          },
        }));
        await callQdrant('store vectors', () => client.upsert(collection, { wait: true, points }));
      }
    }
  }

  async function searchVector(
    database: Database,
    scope: ChunkScope,
    vector: readonly number[],
  ): Promise<ChunkHit[]> {
    const dimensions = vector.length;
    if (!Number.isInteger(dimensions) || dimensions < 1 || scope.limit < 1) return [];
    if (!(await callQdrant('find a collection', () => collections.exists(dimensions)))) return [];
    const collection = collections.name(dimensions);
    const translated = translateMetadataFilter(scope.filter);
    const filter = { must: [...scopeConditions(scope), ...translated.conditions] };
    const query = [...vector];
    const hits: UnrankedHit[] = [];
    const seen = new Set<string>();
    let offset = 0;
    let pageSize = translated.complete ? scope.limit : scope.limit * partialFilterOverscan;
    // why pages: a candidate may be dropped on hydration (see hydrateCandidates), so a page can
    // yield fewer hits than it had points; the next page goes on until `limit` hits or no more points.
    for (;;) {
      const page = await callQdrant('search vectors', () =>
        client.query(collection, {
          query,
          filter,
          limit: pageSize,
          offset,
          with_payload: ['chunk_id'],
          with_vector: false,
        }),
      );
      const candidates = page.points.flatMap((point) => {
        const chunkId = point.payload?.chunk_id;
        if (typeof chunkId !== 'string' || seen.has(chunkId)) return [];
        seen.add(chunkId);
        return [{ chunkId, score: point.score }];
      });
      hits.push(...(await hydrateCandidates(database, scope, dimensions, candidates)));
      if (hits.length >= scope.limit || page.points.length < pageSize) break;
      offset += pageSize;
      pageSize = Math.min(Math.max(pageSize * 2, scope.limit), Math.max(largestPage, scope.limit));
    }
    return hits
      .sort(byScore)
      .slice(0, scope.limit)
      .map((hit, index) => ({ ...hit, rank: index + 1 }));
  }

  return {
    support: { mode: 'qdrant', iterativeScan: false },
    async upsert(database, chunks) {
      await rows.upsert(database, chunks);
      await upsertPoints(chunks);
    },
    async deleteByDocument(database, scope) {
      const deleted = await rows.deleteByDocument(database, scope);
      if (await knowledgeBaseVisible(database, scope)) {
        await deletePoints([...scopeConditions(scope), keyword('document_id', scope.documentId)]);
      }
      return deleted;
    },
    async deleteByKnowledgeBase(database, scope) {
      const deleted = await rows.deleteByKnowledgeBase(database, scope);
      if (await knowledgeBaseVisible(database, scope)) await deletePoints(scopeConditions(scope));
      return deleted;
    },
    searchVector,
    searchKeyword: (database, scope, query) => rows.searchKeyword(database, scope, query),
    count: (database, scope) => rows.count(database, scope),
    idle: () => rows.idle(),
  };
}
