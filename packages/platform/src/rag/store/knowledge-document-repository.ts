import type { Queryable } from '../../storage/db/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';
import type { ChunkingSettings } from '../chunking/index.ts';

/** The SQL of knowledge documents; every statement names the caller's organisation. */

export type DocumentStatus = 'queued' | 'processing' | 'ready' | 'failed';

export interface DocumentFailure {
  code: string;
  message: string;
}

export interface KnowledgeDocumentRecord {
  id: string;
  knowledgeBaseId: string;
  externalId: string | null;
  title: string;
  metadata: Record<string, unknown>;
  status: DocumentStatus;
  error: DocumentFailure | null;
  characterCount: number;
  /** Chunks of the document (counted at upload). */
  chunkCount: number;
  /** Chunks embedded so far (equal to `chunkCount` once ready). */
  chunksEmbedded: number;
  createdAt: number;
  updatedAt: number;
}

/**
 * A document to write: its record, the source text its chunks point into, the uploader its job
 * embeds as, and the chunking settings it was counted with.
 */
export interface NewKnowledgeDocument extends KnowledgeDocumentRecord {
  content: string;
  caller: AuthContext;
  chunking: ChunkingSettings;
}

interface DocumentRow {
  id: string;
  knowledge_base_id: string;
  external_id: string | null;
  title: string;
  metadata: Record<string, unknown>;
  status: DocumentStatus;
  error: DocumentFailure | null;
  character_count: number;
  chunk_count: number;
  chunks_embedded: number;
  created_at: Date;
  updated_at: Date;
}

const columns =
  'id, knowledge_base_id, external_id, title, metadata, status, error, character_count, chunk_count, chunks_embedded, created_at, updated_at';

const toRecord = (row: DocumentRow): KnowledgeDocumentRecord => ({
  id: row.id,
  knowledgeBaseId: row.knowledge_base_id,
  externalId: row.external_id,
  title: row.title,
  metadata: row.metadata,
  status: row.status,
  error: row.error,
  characterCount: row.character_count,
  chunkCount: row.chunk_count,
  chunksEmbedded: row.chunks_embedded,
  createdAt: row.created_at.getTime(),
  updatedAt: row.updated_at.getTime(),
});

/**
 * Writes documents in one statement; each starts with `lastEventSequence` events (those written
 * beside it).
 */
export async function insertDocuments(
  database: Queryable,
  organizationId: string,
  documents: readonly NewKnowledgeDocument[],
  lastEventSequence = 0,
): Promise<void> {
  if (documents.length === 0) return;
  const parameters: unknown[] = [organizationId, lastEventSequence];
  const rows = documents.map((document) => {
    const { origin: _origin, ...caller } = document.caller;
    const first = parameters.length + 1;
    parameters.push(
      document.id,
      document.knowledgeBaseId,
      document.externalId,
      document.title,
      JSON.stringify(document.metadata),
      document.status,
      document.error ? JSON.stringify(document.error) : null,
      document.content,
      document.characterCount,
      document.chunkCount,
      new Date(document.createdAt),
      new Date(document.updatedAt),
      JSON.stringify(caller),
      JSON.stringify({
        max_tokens: document.chunking.maxTokens,
        overlap_tokens: document.chunking.overlapTokens,
      }),
      document.chunksEmbedded,
    );
    const at = (offset: number, cast = '') => `$${first + offset}${cast}`;
    return `(${at(0)}, $1, ${at(1)}, ${at(2)}, ${at(3)}, ${at(4, '::jsonb')}, ${at(5)}, ${at(6, '::jsonb')}, ${at(7)},
      ${at(8, '::int4')}, ${at(9, '::int4')}, ${at(10, '::timestamptz')}, ${at(11, '::timestamptz')}, ${at(12, '::jsonb')},
      ${at(13, '::jsonb')}, ${at(14, '::int4')}, $2::int4)`;
  });
  await database.query(
    `INSERT INTO knowledge_documents (id, organization_id, knowledge_base_id, external_id, title, metadata, status,
       error, content, character_count, chunk_count, created_at, updated_at, caller, chunking, chunks_embedded,
       last_event_sequence)
     VALUES ${rows.join(', ')}`,
    parameters,
  );
}

export async function findDocument(
  database: Queryable,
  organizationId: string,
  knowledgeBaseId: string,
  id: string,
): Promise<KnowledgeDocumentRecord | null> {
  const result = await database.query<DocumentRow>(
    `SELECT ${columns} FROM knowledge_documents WHERE organization_id = $1 AND knowledge_base_id = $2 AND id = $3`,
    [organizationId, knowledgeBaseId, id],
  );
  const row = result.rows[0];
  return row ? toRecord(row) : null;
}

/** The documents of these ids in one knowledge base, by id (search hits name them). */
export async function findDocuments(
  database: Queryable,
  organizationId: string,
  knowledgeBaseId: string,
  ids: readonly string[],
): Promise<Map<string, KnowledgeDocumentRecord>> {
  if (ids.length === 0) return new Map();
  const result = await database.query<DocumentRow>(
    `SELECT ${columns} FROM knowledge_documents
      WHERE organization_id = $1 AND knowledge_base_id = $2 AND id = ANY($3::text[])`,
    [organizationId, knowledgeBaseId, ids],
  );
  return new Map(result.rows.map((row) => [row.id, toRecord(row)]));
}

/** Up to `limit` documents, newest first, after the document `after` (null when it is not in the knowledge base). */
export async function listDocuments(
  database: Queryable,
  organizationId: string,
  knowledgeBaseId: string,
  query: { limit: number; after?: string },
): Promise<{ records: KnowledgeDocumentRecord[]; hasMore: boolean } | null> {
  const parameters: unknown[] = [organizationId, knowledgeBaseId, query.limit + 1];
  let cursor = '';
  if (query.after !== undefined) {
    const anchor = await findDocument(database, organizationId, knowledgeBaseId, query.after);
    if (!anchor) return null;
    parameters.push(new Date(anchor.createdAt), anchor.id);
    cursor = 'AND (created_at, id) < ($4, $5)';
  }
  const result = await database.query<DocumentRow>(
    `SELECT ${columns} FROM knowledge_documents WHERE organization_id = $1 AND knowledge_base_id = $2 ${cursor}
      ORDER BY created_at DESC, id DESC LIMIT $3`,
    parameters,
  );
  const records = result.rows.map(toRecord);
  return { records: records.slice(0, query.limit), hasMore: records.length > query.limit };
}

/** The ready documents carrying `externalId`, other than `exceptId` (the ones a replacement displaces). */
export async function readyDocumentsWithExternalId(
  database: Queryable,
  organizationId: string,
  knowledgeBaseId: string,
  externalId: string,
  exceptId: string,
): Promise<string[]> {
  const result = await database.query<{ id: string }>(
    `SELECT id FROM knowledge_documents
      WHERE organization_id = $1 AND knowledge_base_id = $2 AND external_id = $3 AND id <> $4 AND status = 'ready'
      FOR UPDATE`,
    [organizationId, knowledgeBaseId, externalId, exceptId],
  );
  return result.rows.map((row) => row.id);
}

export async function setDocumentStatus(
  database: Queryable,
  organizationId: string,
  id: string,
  change: { status: DocumentStatus; error: DocumentFailure | null; now: number },
): Promise<void> {
  await database.query(
    `UPDATE knowledge_documents SET status = $3, error = $4::jsonb, updated_at = $5
      WHERE organization_id = $1 AND id = $2`,
    [
      organizationId,
      id,
      change.status,
      change.error ? JSON.stringify(change.error) : null,
      new Date(change.now),
    ],
  );
}

export async function deleteDocument(
  database: Queryable,
  organizationId: string,
  id: string,
): Promise<boolean> {
  const result = await database.query(
    'DELETE FROM knowledge_documents WHERE organization_id = $1 AND id = $2',
    [organizationId, id],
  );
  return result.rowCount > 0;
}
