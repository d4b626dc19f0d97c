import type { Queryable } from '../../storage/db/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';
import type { ChunkingSettings } from '../chunking/index.ts';
import type { DocumentFailure, DocumentStatus } from './knowledge-document-repository.ts';

/**
 * The SQL of queued ingestion: what a job reads of its document, its claim, the embedded chunks
 * it stages, the document's event log, and the counts the plan limits are checked against. Every
 * statement names the organisation except `pendingDocuments`, the start-up sweep's.
 */

/** What an ingestion job needs of its document, its knowledge base and the uploader's key. */
export interface IngestionState {
  id: string;
  knowledgeBaseId: string;
  externalId: string | null;
  metadata: Record<string, unknown>;
  status: 'queued' | 'processing';
  content: string;
  chunkCount: number;
  caller: AuthContext;
  chunking: ChunkingSettings;
  /** How many times a job took the document before (see {@link claimDocument}). */
  ingestionAttempts: number;
  embeddingModel: string;
  embeddingDimensions: number | null;
  /** The uploader's key as it is now (null when it is gone, or the uploader was no key). */
  key: { revokedAt: Date | null; expiresAt: Date | null } | null;
}

interface IngestionRow {
  id: string;
  knowledge_base_id: string;
  external_id: string | null;
  metadata: Record<string, unknown>;
  status: 'queued' | 'processing';
  content: string;
  chunk_count: number;
  caller: AuthContext | null;
  chunking: { max_tokens: number; overlap_tokens: number } | null;
  ingestion_attempts: number;
  embedding_model: string;
  embedding_dimensions: number | null;
  key_found: boolean;
  key_revoked_at: Date | null;
  key_expires_at: Date | null;
}

/**
 * What a job needs to ingest a pending document, read in one statement (a read: the commit of a
 * document embedded in one call is its only write): the document, its knowledge base's model and
 * the uploader's key. Null when the document is no longer pending (ready, failed or gone).
 */
export async function readIngestion(
  database: Queryable,
  organizationId: string,
  documentId: string,
): Promise<IngestionState | null> {
  const result = await database.query<IngestionRow>(
    `SELECT d.id, d.knowledge_base_id, d.external_id, d.metadata, d.status, d.content, d.chunk_count, d.caller,
            d.chunking, d.ingestion_attempts, kb.embedding_model, kb.embedding_dimensions,
            k.id IS NOT NULL AS key_found, k.revoked_at AS key_revoked_at, k.expires_at AS key_expires_at
       FROM knowledge_documents d
       JOIN knowledge_bases kb ON kb.organization_id = $1 AND kb.id = d.knowledge_base_id
       LEFT JOIN api_keys k ON k.organization_id = $1 AND k.id = d.caller->>'apiKeyId'
      WHERE d.organization_id = $1 AND d.id = $2 AND d.status IN ('queued', 'processing')`,
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
    embeddingModel: row.embedding_model,
    embeddingDimensions: row.embedding_dimensions,
    key: row.key_found ? { revokedAt: row.key_revoked_at, expiresAt: row.key_expires_at } : null,
  };
}

/**
 * Marks a pending document processing and counts the take; returns the takes so far (this one
 * included), or null when it is no longer pending. A job calls it for a document that needs more
 * than one embedding call, or one a previous take left processing.
 */
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

/**
 * Marks a pending document ready with its event, in one statement; false when it is not pending
 * any more (deleted, or finished by another take), so the caller rolls back.
 */
export async function markReady(
  database: Queryable,
  organizationId: string,
  documentId: string,
  chunkCount: number,
  now: number,
): Promise<boolean> {
  const result = await database.query<{ sequence: number }>(
    `WITH ready AS (
       UPDATE knowledge_documents
          SET status = 'ready', error = NULL, chunks_embedded = $3, updated_at = $4,
              last_event_sequence = last_event_sequence + 1
        WHERE organization_id = $1 AND id = $2 AND status IN ('queued', 'processing')
        RETURNING last_event_sequence)
     INSERT INTO knowledge_document_events (organization_id, document_id, sequence, type, data, created_at)
     SELECT $1, $2, last_event_sequence, 'document.ready', $5::jsonb, $4 FROM ready
     RETURNING sequence`,
    [
      organizationId,
      documentId,
      chunkCount,
      new Date(now),
      JSON.stringify({ chunk_count: chunkCount, chunks_embedded: chunkCount }),
    ],
  );
  return result.rows.length > 0;
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

/** Writes each document's first event (sequence 1) in one statement, beside the documents themselves. */
export async function insertFirstEvents(
  database: Queryable,
  organizationId: string,
  events: ReadonlyArray<{ documentId: string; type: DocumentEventType; data: Record<string, unknown> }>,
  now: number,
): Promise<void> {
  if (events.length === 0) return;
  const parameters: unknown[] = [organizationId, new Date(now)];
  const rows = events.map((event) => {
    parameters.push(event.documentId, event.type, JSON.stringify(event.data));
    const base = parameters.length;
    return `($1, $${base - 2}, 1, $${base - 1}, $${base}::jsonb, $2)`;
  });
  await database.query(
    `INSERT INTO knowledge_document_events (organization_id, document_id, sequence, type, data, created_at)
     VALUES ${rows.join(', ')}`,
    parameters,
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
