import type { Queryable } from '../../storage/db/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';
import type { ChunkingSettings } from '../chunking/index.ts';
import type { DocumentFailure, DocumentStatus } from './knowledge-document-repository.ts';

/**
 * The SQL of queued ingestion: what a job reads of its document, its claim, the embedded chunks
 * it stages, the document's event log, and the counts the plan limits are checked against. Every
 * statement names the organisation except `pendingDocuments`, the start-up sweep's.
 */

/** What an ingestion job needs of its document. */
export interface IngestionState {
  id: string;
  knowledgeBaseId: string;
  externalId: string | null;
  metadata: Record<string, unknown>;
  status: DocumentStatus;
  content: string;
  chunkCount: number;
  caller: AuthContext;
  chunking: ChunkingSettings;
  ingestionAttempts: number;
}

interface IngestionRow {
  id: string;
  knowledge_base_id: string;
  external_id: string | null;
  metadata: Record<string, unknown>;
  status: DocumentStatus;
  content: string;
  chunk_count: number;
  caller: AuthContext;
  chunking: { max_tokens: number; overlap_tokens: number };
  ingestion_attempts: number;
}

export async function findIngestionState(
  database: Queryable,
  organizationId: string,
  documentId: string,
): Promise<IngestionState | null> {
  const result = await database.query<IngestionRow>(
    `SELECT id, knowledge_base_id, external_id, metadata, status, content, chunk_count, caller, chunking,
            ingestion_attempts
       FROM knowledge_documents WHERE organization_id = $1 AND id = $2`,
    [organizationId, documentId],
  );
  const row = result.rows[0];
  if (!row || row.caller === null || row.chunking === null) return null;
  return {
    id: row.id,
    knowledgeBaseId: row.knowledge_base_id,
    externalId: row.external_id,
    metadata: row.metadata,
    status: row.status,
    content: row.content,
    chunkCount: row.chunk_count,
    caller: row.caller,
    chunking: { maxTokens: row.chunking.max_tokens, overlapTokens: row.chunking.overlap_tokens },
    ingestionAttempts: row.ingestion_attempts,
  };
}

/** Marks a queued (or resumed) document processing and counts the take; null when it is no longer pending. */
export async function claimDocument(
  database: Queryable,
  organizationId: string,
  documentId: string,
  now: number,
): Promise<number | null> {
  const result = await database.query<{ ingestion_attempts: number }>(
    `UPDATE knowledge_documents
        SET status = 'processing', ingestion_attempts = ingestion_attempts + 1, updated_at = $3
      WHERE organization_id = $1 AND id = $2 AND status IN ('queued', 'processing')
      RETURNING ingestion_attempts`,
    [organizationId, documentId, new Date(now)],
  );
  return result.rows[0]?.ingestion_attempts ?? null;
}

/** The embeddings staged so far, by chunk position. */
export async function stagedEmbeddings(
  database: Queryable,
  organizationId: string,
  documentId: string,
): Promise<Map<number, number[]>> {
  const result = await database.query<{ position: number; embedding: number[] }>(
    'SELECT position, embedding FROM knowledge_staged_chunks WHERE organization_id = $1 AND document_id = $2',
    [organizationId, documentId],
  );
  return new Map(result.rows.map((row) => [row.position, row.embedding.map(Number)]));
}

/** Stages embedded chunks (a chunk staged already keeps its first embedding). */
export async function stageEmbeddings(
  database: Queryable,
  organizationId: string,
  documentId: string,
  entries: ReadonlyArray<{ position: number; embedding: readonly number[] }>,
): Promise<void> {
  if (entries.length === 0) return;
  const parameters: unknown[] = [organizationId, documentId];
  const rows = entries.map((entry) => {
    parameters.push(entry.position, `{${entry.embedding.join(',')}}`);
    return `($1, $2, $${parameters.length - 1}::int4, $${parameters.length}::real[])`;
  });
  await database.query(
    `INSERT INTO knowledge_staged_chunks (organization_id, document_id, position, embedding)
     VALUES ${rows.join(', ')} ON CONFLICT (document_id, position) DO NOTHING`,
    parameters,
  );
}

export async function deleteStagedChunks(
  database: Queryable,
  organizationId: string,
  documentId: string,
): Promise<void> {
  await database.query(
    'DELETE FROM knowledge_staged_chunks WHERE organization_id = $1 AND document_id = $2',
    [organizationId, documentId],
  );
}

/** Sets a document's status, error and progress. */
export async function updateIngestion(
  database: Queryable,
  organizationId: string,
  documentId: string,
  change: { status: DocumentStatus; error: DocumentFailure | null; chunksEmbedded: number; now: number },
): Promise<void> {
  await database.query(
    `UPDATE knowledge_documents SET status = $3, error = $4::jsonb, chunks_embedded = $5, updated_at = $6
      WHERE organization_id = $1 AND id = $2`,
    [
      organizationId,
      documentId,
      change.status,
      change.error ? JSON.stringify(change.error) : null,
      change.chunksEmbedded,
      new Date(change.now),
    ],
  );
}

export type DocumentEventType =
  | 'document.queued'
  | 'document.progress'
  | 'document.ready'
  | 'document.failed';

export interface DocumentEvent {
  sequence: number;
  type: DocumentEventType;
  data: Record<string, unknown>;
  createdAt: Date;
}

/** Writes the document's first event (sequence 1), beside the document itself. */
export async function insertFirstEvent(
  database: Queryable,
  organizationId: string,
  documentId: string,
  event: { type: DocumentEventType; data: Record<string, unknown>; now: number },
): Promise<void> {
  await database.query(
    `INSERT INTO knowledge_document_events (organization_id, document_id, sequence, type, data, created_at)
     VALUES ($1, $2, 1, $3, $4::jsonb, $5)`,
    [organizationId, documentId, event.type, JSON.stringify(event.data), new Date(event.now)],
  );
}

/** Appends an event with the document's next sequence number; returns it (null when the document is gone). */
export async function appendDocumentEvent(
  database: Queryable,
  organizationId: string,
  documentId: string,
  event: { type: DocumentEventType; data: Record<string, unknown>; now: number },
): Promise<number | null> {
  const result = await database.query<{ sequence: number }>(
    `WITH bumped AS (
       UPDATE knowledge_documents SET last_event_sequence = last_event_sequence + 1
        WHERE organization_id = $1 AND id = $2 RETURNING last_event_sequence)
     INSERT INTO knowledge_document_events (organization_id, document_id, sequence, type, data, created_at)
     SELECT $1, $2, last_event_sequence, $3, $4::jsonb, $5 FROM bumped
     RETURNING sequence`,
    [organizationId, documentId, event.type, JSON.stringify(event.data), new Date(event.now)],
  );
  return result.rows[0]?.sequence ?? null;
}

export async function readDocumentEvents(
  database: Queryable,
  organizationId: string,
  documentId: string,
  afterSequence: number,
  limit: number,
): Promise<DocumentEvent[]> {
  const result = await database.query<{
    sequence: number;
    type: DocumentEventType;
    data: Record<string, unknown>;
    created_at: Date;
  }>(
    `SELECT sequence, type, data, created_at FROM knowledge_document_events
      WHERE organization_id = $1 AND document_id = $2 AND sequence > $3 ORDER BY sequence LIMIT $4`,
    [organizationId, documentId, afterSequence, limit],
  );
  return result.rows.map((row) => ({
    sequence: row.sequence,
    type: row.type,
    data: row.data,
    createdAt: row.created_at,
  }));
}

/** Documents of every organisation still to ingest, oldest first (the platform's sweep). */
export async function pendingDocuments(
  database: Queryable,
  limit: number,
): Promise<Array<{ organizationId: string; knowledgeBaseId: string; documentId: string }>> {
  const result = await database.query<{ organization_id: string; knowledge_base_id: string; id: string }>(
    `SELECT organization_id, knowledge_base_id, id FROM knowledge_documents
      WHERE status IN ('queued', 'processing') ORDER BY created_at LIMIT $1`,
    [limit],
  );
  return result.rows.map((row) => ({
    organizationId: row.organization_id,
    knowledgeBaseId: row.knowledge_base_id,
    documentId: row.id,
  }));
}

/** What the organisation holds (documents not failed) and what uploads with these external ids would displace. */
export interface KnowledgeHoldings {
  documents: number;
  chunks: number;
  displacedDocuments: number;
  displacedChunks: number;
}

export async function knowledgeHoldings(
  database: Queryable,
  organizationId: string,
  knowledgeBaseId: string,
  externalIds: readonly string[],
): Promise<KnowledgeHoldings> {
  const result = await database.query<KnowledgeHoldings>(
    `SELECT count(*)::int8 AS documents, COALESCE(sum(chunk_count), 0)::int8 AS chunks,
            count(*) FILTER (WHERE knowledge_base_id = $2 AND external_id = ANY($3::text[]))::int8
              AS "displacedDocuments",
            COALESCE(sum(chunk_count) FILTER (WHERE knowledge_base_id = $2 AND external_id = ANY($3::text[])), 0)::int8
              AS "displacedChunks"
       FROM knowledge_documents WHERE organization_id = $1 AND status <> 'failed'`,
    [organizationId, knowledgeBaseId, externalIds],
  );
  return result.rows[0]!;
}
