import type { Database, Queryable } from '../db/index.ts';
import { type ChunkHit, type ChunkRow, chunkHitColumns, toUnrankedHit } from './chunk-rows.ts';
import type { ChunkVectorSupport } from './chunk-vectors.ts';

export type { ChunkHit } from './chunk-rows.ts';

import { createKeywordIndex, inTransaction, type KeywordIndexOptions } from './keyword/index.ts';
import { createStatisticsRefresh } from './statistics-refresh.ts';
import { vectorLiteral } from './vector-column.ts';

/** A chunk of a knowledge document with its embedding, as the store keeps it. */
export interface StoredChunk {
  id: string;
  organizationId: string;
  knowledgeBaseId: string;
  documentId: string;
  /** Order within the document, from 0. */
  position: number;
  text: string;
  /** Character offsets of `text` in the document's source text: `source.slice(start, end) === text`. */
  start: number;
  end: number;
  tokenCount: number;
  /** The Markdown headings the chunk sits under, outermost first. */
  headings: readonly string[];
  /** The document's metadata, copied so a filter needs no join. */
  metadata: Record<string, unknown>;
  embedding: readonly number[];
}

/** Where a search looks: one knowledge base of one organisation, optionally only chunks whose metadata contains `filter`. */
export interface ChunkScope {
  organizationId: string;
  knowledgeBaseId: string;
  /** JSON containment (`metadata @> filter`). */
  filter?: Record<string, unknown>;
  limit: number;
}

/**
 * The vector store port for knowledge chunks. Each method takes the handle to run on, so callers
 * pass one organisation's handle (row-level security) or a transaction. pgvector answers vector
 * searches where the column exists; otherwise an exact cosine scan in SQL over `real[]`.
 * Keyword search is PostgreSQL full-text search on the generated `tsvector` column.
 */
export interface VectorStore {
  readonly support: ChunkVectorSupport;
  /** Inserts chunks, or replaces those with the same id. */
  upsert(database: Queryable, chunks: readonly StoredChunk[]): Promise<void>;
  /** Deletes a document's chunks; returns how many. */
  deleteByDocument(database: Queryable, scope: DocumentScope): Promise<number>;
  /** Deletes every chunk of a knowledge base; returns how many. */
  deleteByKnowledgeBase(database: Queryable, scope: Omit<DocumentScope, 'documentId'>): Promise<number>;
  /** The chunks nearest `vector` by cosine similarity, best first. */
  searchVector(database: Database, scope: ChunkScope, vector: readonly number[]): Promise<ChunkHit[]>;
  /**
   * Full-text matches of `query` (any of its words, English stemming), best first, ranked by
   * Okapi BM25 over the knowledge base's chunks, scaled to [0, 1) as s / (s + 1): from the
   * segmented inverted index (`keyword/`), or with a metadata filter by `bm25Statement` over the
   * chunks the filter admits.
   */
  searchKeyword(database: Queryable, scope: ChunkScope, query: string): Promise<ChunkHit[]>;
  count(database: Queryable, scope: Omit<DocumentScope, 'documentId'>): Promise<number>;
  /** Resolves when no background index maintenance is running (before closing the database). */
  idle(): Promise<void>;
}

export interface DocumentScope {
  organizationId: string;
  knowledgeBaseId: string;
  documentId: string;
}

interface HitRow extends ChunkRow {
  score: number;
}

const toHits = (rows: readonly HitRow[]): ChunkHit[] =>
  rows.map((row, index) => ({ ...toUnrankedHit(row, Number(row.score)), rank: index + 1 }));

const arrayLiteral = (values: readonly number[]) => `{${values.join(',')}}`;
const hitColumns = chunkHitColumns;

/** `$1` organisation, `$2` knowledge base, `$3` metadata filter. */
const scopeCondition = 'c.organization_id = $1 AND c.knowledge_base_id = $2 AND c.metadata @> $3::jsonb';
const scopeParameters = (scope: ChunkScope) => [
  scope.organizationId,
  scope.knowledgeBaseId,
  JSON.stringify(scope.filter ?? {}),
];

/**
 * Okapi BM25 over the chunks of the scope (k1 = 1.2, b = 0.75; idf = ln(1 + (N − df + 0.5) /
 * (df + 0.5))), computed in one statement. Candidates are the chunks whose `tsvector` matches any
 * query word (the GIN index finds them; `plainto_tsquery` stems and drops stop words, and its ANDs
 * become ORs so one missing word never drops a passage) — which makes every chunk holding a query
 * term a candidate, so each term's document frequency is counted exactly among them. A term's
 * frequency is the number of its positions in the chunk; a chunk's length is its token count,
 * against the scope's average. The score is scaled to [0, 1) as s / (s + 1) for `min_score`.
 */
const bm25Statement = `
  WITH q AS (SELECT replace(plainto_tsquery('english', $4)::text, ' & ', ' | ') AS text),
  query_terms AS (SELECT DISTINCT lexeme FROM unnest(to_tsvector('english', $4))),
  collection AS (
    SELECT count(*)::float8 AS size, greatest(coalesce(avg(c.token_count), 1), 1)::float8 AS average_length
      FROM knowledge_chunks c WHERE ${scopeCondition}),
  candidates AS (
    SELECT c.id, c.token_count, c.text_search FROM knowledge_chunks c, q
     WHERE q.text <> '' AND ${scopeCondition} AND c.text_search @@ q.text::tsquery),
  term_frequencies AS (
    SELECT candidates.id, term.lexeme, cardinality(term.positions)::float8 AS frequency, candidates.token_count
      FROM candidates CROSS JOIN LATERAL unnest(candidates.text_search) AS term
     WHERE term.lexeme IN (SELECT lexeme FROM query_terms)),
  document_frequencies AS (SELECT lexeme, count(*)::float8 AS frequency FROM term_frequencies GROUP BY lexeme),
  scores AS (
    SELECT t.id, sum(
             ln(1 + (collection.size - d.frequency + 0.5) / (d.frequency + 0.5))
             * t.frequency * 2.2
             / (t.frequency + 1.2 * (0.25 + 0.75 * t.token_count / collection.average_length))) AS score
      FROM term_frequencies t JOIN document_frequencies d USING (lexeme) CROSS JOIN collection
     GROUP BY t.id)
  SELECT ${hitColumns}, s.score / (s.score + 1) AS score
    FROM scores s JOIN knowledge_chunks c ON c.id = s.id
   ORDER BY s.score DESC, c.id
   LIMIT $5`;

const hasFilter = (scope: ChunkScope) => scope.filter !== undefined && Object.keys(scope.filter).length > 0;

/** Groups chunks by organisation and knowledge base, the unit the keyword index writes. */
function byKnowledgeBase(chunks: readonly StoredChunk[]): Map<string, StoredChunk[]> {
  const groups = new Map<string, StoredChunk[]>();
  for (const chunk of chunks) {
    const key = `${chunk.organizationId}\u0000${chunk.knowledgeBaseId}`;
    groups.set(key, [...(groups.get(key) ?? []), chunk]);
  }
  return groups;
}

export interface VectorStoreOptions extends KeywordIndexOptions {
  /**
   * Re-collects the chunk tables' planner statistics (`ANALYZE`, as the schema owner) after many
   * writes; for the embedded store, which has no autovacuum (see `statistics-refresh.ts`).
   */
  refreshStatistics?: () => Promise<void>;
}

/**
 * Creates the store for the search mode `prepareChunkVectors` chose at start-up. Pass the root
 * `database` so the keyword index merges its segments in the background.
 */
export function createVectorStore(
  support: ChunkVectorSupport,
  options: VectorStoreOptions = {},
): VectorStore {
  const withVector = support.mode === 'pgvector';
  const keywordIndex = createKeywordIndex(options);
  const statistics = createStatisticsRefresh(
    options.refreshStatistics ?? (async () => {}),
    options.onMaintenanceError,
  );
  async function insertChunks(database: Queryable, chunks: readonly StoredChunk[]): Promise<void> {
    for (const chunk of chunks) {
      await database.query(
        `INSERT INTO knowledge_chunks (id, organization_id, knowledge_base_id, document_id, position, text,
             start_offset, end_offset, token_count, headings, metadata, embedding${withVector ? ', embedding_vector' : ''})
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text[], $11::jsonb, $12::real[]${withVector ? ', $13::vector' : ''})
           ON CONFLICT (id) DO UPDATE SET position = EXCLUDED.position, text = EXCLUDED.text,
             start_offset = EXCLUDED.start_offset, end_offset = EXCLUDED.end_offset,
             token_count = EXCLUDED.token_count, headings = EXCLUDED.headings, metadata = EXCLUDED.metadata,
             embedding = EXCLUDED.embedding${withVector ? ', embedding_vector = EXCLUDED.embedding_vector' : ''}`,
        [
          chunk.id,
          chunk.organizationId,
          chunk.knowledgeBaseId,
          chunk.documentId,
          chunk.position,
          chunk.text,
          chunk.start,
          chunk.end,
          chunk.tokenCount,
          chunk.headings,
          JSON.stringify(chunk.metadata),
          arrayLiteral(chunk.embedding),
          ...(withVector ? [vectorLiteral(chunk.embedding)] : []),
        ],
      );
    }
  }
  return {
    support,
    async upsert(database, chunks) {
      await inTransaction(database, async (transaction) => {
        for (const group of byKnowledgeBase(chunks).values()) {
          const scope = {
            organizationId: group[0]!.organizationId,
            knowledgeBaseId: group[0]!.knowledgeBaseId,
          };
          const ids = group.map((chunk) => chunk.id);
          // why delete first: a chunk written again gets a new number, so its old postings are
          // tombstoned. New ids (the usual case) skip it, and with it the lock a merge may hold.
          const existing = await transaction.query(
            'SELECT 1 FROM knowledge_chunks WHERE organization_id = $1 AND knowledge_base_id = $2 AND id = ANY($3::text[]) LIMIT 1',
            [scope.organizationId, scope.knowledgeBaseId, ids],
          );
          if (existing.rows.length > 0) {
            await keywordIndex.remove(transaction, scope, 'c.id = ANY($3::text[])', [ids]);
          }
          await insertChunks(transaction, group);
          await keywordIndex.add(transaction, scope, ids);
        }
      });
      if (options.refreshStatistics) statistics.wrote(chunks.length);
    },
    deleteByDocument(database, scope) {
      return keywordIndex.remove(database, scope, 'c.document_id = $3', [scope.documentId]);
    },
    deleteByKnowledgeBase(database, scope) {
      return inTransaction(database, async (transaction) => {
        await transaction.query(
          'DELETE FROM knowledge_segments WHERE organization_id = $1 AND knowledge_base_id = $2',
          [scope.organizationId, scope.knowledgeBaseId],
        );
        const result = await transaction.query(
          'DELETE FROM knowledge_chunks WHERE organization_id = $1 AND knowledge_base_id = $2',
          [scope.organizationId, scope.knowledgeBaseId],
        );
        return result.rowCount;
      });
    },
    async searchVector(database, scope, vector) {
      const dimensions = vector.length;
      if (!Number.isInteger(dimensions) || dimensions < 1) return [];
      if (withVector) {
        // why the cast to vector(n): it is the expression the partial HNSW index of that size is built on.
        const typed = `vector(${dimensions})`;
        return database.transaction(async (transaction) => {
          if (support.iterativeScan) {
            // why: HNSW finds ef_search candidates before the WHERE clause; an iterative scan keeps
            // going until `limit` rows of this organisation and knowledge base pass the filter.
            await transaction.query("SELECT set_config('hnsw.iterative_scan', 'strict_order', true)");
          }
          const result = await transaction.query<HitRow>(
            `SELECT ${hitColumns}, 1 - (c.embedding_vector::${typed} <=> $4::${typed}) AS score
               FROM knowledge_chunks c
              WHERE ${scopeCondition} AND vector_dims(c.embedding_vector) = ${dimensions}
              ORDER BY c.embedding_vector::${typed} <=> $4::${typed}
              LIMIT $5`,
            [...scopeParameters(scope), vectorLiteral(vector), scope.limit],
          );
          return toHits(result.rows);
        });
      }
      const result = await database.query<HitRow>(
        `SELECT ${hitColumns}, s.score
           FROM knowledge_chunks c
           CROSS JOIN LATERAL (
             SELECT CASE WHEN sum(a * a) = 0 OR sum(b * b) = 0 THEN 0
                         ELSE sum(a * b) / sqrt(sum(a * a) * sum(b * b)) END AS score
               FROM unnest(c.embedding, $4::real[]) AS pair (a, b)) s
          WHERE ${scopeCondition} AND cardinality(c.embedding) = $6
          ORDER BY s.score DESC, c.id
          LIMIT $5`,
        [...scopeParameters(scope), arrayLiteral(vector), scope.limit, dimensions],
      );
      return toHits(result.rows);
    },
    async searchKeyword(database, scope, query) {
      if (hasFilter(scope)) {
        const result = await database.query<HitRow>(bm25Statement, [
          ...scopeParameters(scope),
          query,
          scope.limit,
        ]);
        return toHits(result.rows);
      }
      const ranked = await keywordIndex.search(database, scope, query, scope.limit);
      if (ranked.length === 0) return [];
      const result = await database.query<HitRow & { number: number }>(
        `SELECT ${hitColumns}, c.number, 0 AS score FROM knowledge_chunks c
          WHERE c.organization_id = $1 AND c.knowledge_base_id = $2 AND c.number = ANY($3::int8[])`,
        [scope.organizationId, scope.knowledgeBaseId, ranked.map((hit) => hit.number)],
      );
      const rows = new Map(result.rows.map((row) => [Number(row.number), row]));
      return toHits(
        ranked.flatMap((hit) => {
          const row = rows.get(hit.number);
          if (row === undefined) return [];
          const { number: _number, ...rest } = row;
          return [{ ...rest, score: hit.score / (hit.score + 1) }];
        }),
      );
    },
    async count(database, scope) {
      const result = await database.query<{ count: number }>(
        'SELECT count(*)::int8 AS count FROM knowledge_chunks WHERE organization_id = $1 AND knowledge_base_id = $2',
        [scope.organizationId, scope.knowledgeBaseId],
      );
      return result.rows[0]?.count ?? 0;
    },
    async idle() {
      await keywordIndex.idle();
      await statistics.idle();
    },
  };
}
