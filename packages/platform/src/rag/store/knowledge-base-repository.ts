import type { Queryable } from '../../storage/db/index.ts';
import type { ChunkingSettings } from '../chunking/index.ts';

/** The SQL of knowledge bases; every statement names the caller's organisation. */

export interface KnowledgeBaseRecord {
  id: string;
  name: string;
  description: string | null;
  embeddingModel: string;
  /** Learned from the first embedding; null while the knowledge base is empty. */
  embeddingDimensions: number | null;
  chunking: ChunkingSettings;
  metadata: Record<string, unknown>;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
}

export interface KnowledgeBaseCounts {
  documents: number;
  chunks: number;
}

interface KnowledgeBaseRow {
  id: string;
  name: string;
  description: string | null;
  embedding_model: string;
  embedding_dimensions: number | null;
  chunking: { max_tokens: number; overlap_tokens: number };
  metadata: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

const columns =
  'id, name, description, embedding_model, embedding_dimensions, chunking, metadata, created_at, updated_at';

const toRecord = (row: KnowledgeBaseRow): KnowledgeBaseRecord => ({
  id: row.id,
  name: row.name,
  description: row.description,
  embeddingModel: row.embedding_model,
  embeddingDimensions: row.embedding_dimensions,
  chunking: { maxTokens: row.chunking.max_tokens, overlapTokens: row.chunking.overlap_tokens },
  metadata: row.metadata,
  createdAt: row.created_at.getTime(),
  updatedAt: row.updated_at.getTime(),
});

const chunkingJson = (chunking: ChunkingSettings) =>
  JSON.stringify({ max_tokens: chunking.maxTokens, overlap_tokens: chunking.overlapTokens });

export async function insertKnowledgeBase(
  database: Queryable,
  organizationId: string,
  record: KnowledgeBaseRecord,
): Promise<void> {
  await database.query(
    `INSERT INTO knowledge_bases (id, organization_id, name, description, embedding_model, embedding_dimensions,
       chunking, metadata, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9, $10)`,
    [
      record.id,
      organizationId,
      record.name,
      record.description,
      record.embeddingModel,
      record.embeddingDimensions,
      chunkingJson(record.chunking),
      JSON.stringify(record.metadata),
      new Date(record.createdAt),
      new Date(record.updatedAt),
    ],
  );
}

export async function findKnowledgeBase(
  database: Queryable,
  organizationId: string,
  id: string,
): Promise<KnowledgeBaseRecord | null> {
  const result = await database.query<KnowledgeBaseRow>(
    `SELECT ${columns} FROM knowledge_bases WHERE organization_id = $1 AND id = $2`,
    [organizationId, id],
  );
  const row = result.rows[0];
  return row ? toRecord(row) : null;
}

/** Up to `limit` knowledge bases, newest first, after the one with id `after` (null when it is not the organisation's). */
export async function listKnowledgeBases(
  database: Queryable,
  organizationId: string,
  query: { limit: number; after?: string },
): Promise<{ records: KnowledgeBaseRecord[]; hasMore: boolean } | null> {
  const parameters: unknown[] = [organizationId, query.limit + 1];
  let cursor = '';
  if (query.after !== undefined) {
    const anchor = await findKnowledgeBase(database, organizationId, query.after);
    if (!anchor) return null;
    parameters.push(new Date(anchor.createdAt), anchor.id);
    cursor = 'AND (created_at, id) < ($3, $4)';
  }
  const result = await database.query<KnowledgeBaseRow>(
    `SELECT ${columns} FROM knowledge_bases WHERE organization_id = $1 ${cursor}
      ORDER BY created_at DESC, id DESC LIMIT $2`,
    parameters,
  );
  const records = result.rows.map(toRecord);
  return { records: records.slice(0, query.limit), hasMore: records.length > query.limit };
}

export interface KnowledgeBaseChange {
  name?: string;
  description?: string | null;
  chunking?: ChunkingSettings;
  metadata?: Record<string, unknown>;
}

export async function updateKnowledgeBase(
  database: Queryable,
  organizationId: string,
  id: string,
  change: KnowledgeBaseChange,
  now: number,
): Promise<KnowledgeBaseRecord | null> {
  const result = await database.query<KnowledgeBaseRow>(
    `UPDATE knowledge_bases
        SET name = COALESCE($3, name),
            description = CASE WHEN $4::boolean THEN $5 ELSE description END,
            chunking = COALESCE($6::jsonb, chunking),
            metadata = COALESCE($7::jsonb, metadata),
            updated_at = $8
      WHERE organization_id = $1 AND id = $2
      RETURNING ${columns}`,
    [
      organizationId,
      id,
      change.name ?? null,
      change.description !== undefined,
      change.description ?? null,
      change.chunking ? chunkingJson(change.chunking) : null,
      change.metadata ? JSON.stringify(change.metadata) : null,
      new Date(now),
    ],
  );
  const row = result.rows[0];
  return row ? toRecord(row) : null;
}

/** Records the embedding size on first use; returns the size in force (the stored one if it was set). */
export async function settleEmbeddingDimensions(
  database: Queryable,
  organizationId: string,
  id: string,
  dimensions: number,
): Promise<number | null> {
  const result = await database.query<{ embedding_dimensions: number | null }>(
    `UPDATE knowledge_bases SET embedding_dimensions = COALESCE(embedding_dimensions, $3)
      WHERE organization_id = $1 AND id = $2 RETURNING embedding_dimensions`,
    [organizationId, id, dimensions],
  );
  return result.rows[0]?.embedding_dimensions ?? null;
}

/** True when the organisation had that knowledge base; its documents and chunks go with it. */
export async function deleteKnowledgeBase(
  database: Queryable,
  organizationId: string,
  id: string,
): Promise<boolean> {
  const result = await database.query('DELETE FROM knowledge_bases WHERE organization_id = $1 AND id = $2', [
    organizationId,
    id,
  ]);
  return result.rowCount > 0;
}

/** Documents and chunks of each knowledge base, for the API's counts. */
export async function countKnowledgeBaseContents(
  database: Queryable,
  organizationId: string,
  ids: readonly string[],
): Promise<Map<string, KnowledgeBaseCounts>> {
  const counts = new Map<string, KnowledgeBaseCounts>(ids.map((id) => [id, { documents: 0, chunks: 0 }]));
  if (ids.length === 0) return counts;
  const result = await database.query<{ id: string; documents: number; chunks: number }>(
    `SELECT d.knowledge_base_id AS id, count(*)::int8 AS documents, COALESCE(sum(d.chunk_count), 0)::int8 AS chunks
       FROM knowledge_documents d
      WHERE d.organization_id = $1 AND d.knowledge_base_id = ANY($2::text[]) AND d.status = 'ready'
      GROUP BY d.knowledge_base_id`,
    [organizationId, ids],
  );
  for (const row of result.rows) counts.set(row.id, { documents: row.documents, chunks: row.chunks });
  return counts;
}
