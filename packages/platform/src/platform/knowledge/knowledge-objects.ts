import type {
  KnowledgeBaseCounts,
  KnowledgeBaseRecord,
  KnowledgeDocumentRecord,
  ScoredChunk,
  SearchMode,
} from '../../rag/index.ts';

/** The API's shapes of knowledge bases, documents and search hits (snake_case, seconds since the epoch). */

export interface KnowledgeBaseObject {
  id: string;
  object: 'knowledge_base';
  name: string;
  description: string | null;
  embedding_model: string;
  /** Null until the first document is embedded. */
  embedding_dimensions: number | null;
  chunking: { max_tokens: number; overlap_tokens: number };
  metadata: Record<string, unknown>;
  /** Ready documents and their chunks. */
  document_count: number;
  chunk_count: number;
  created_at: number;
  updated_at: number;
}

export interface KnowledgeDocumentObject {
  id: string;
  object: 'knowledge_document';
  knowledge_base_id: string;
  external_id: string | null;
  title: string;
  metadata: Record<string, unknown>;
  status: KnowledgeDocumentRecord['status'];
  error: { code: string; message: string } | null;
  character_count: number;
  /** Chunks of the document, counted at upload. */
  chunk_count: number;
  /** Chunks embedded so far: the ingestion's progress (equal to `chunk_count` once ready). */
  chunks_embedded: number;
  created_at: number;
  updated_at: number;
}

export interface KnowledgeSearchHit {
  document_id: string;
  external_id: string | null;
  chunk_id: string;
  title: string;
  text: string;
  /** Character offsets of `text` in the document's text. */
  start: number;
  end: number;
  headings: string[];
  metadata: Record<string, unknown>;
  score: number;
  /** Hybrid mode only: the hit's rank on each side (null where that side did not find it). */
  vector_rank?: number | null;
  keyword_rank?: number | null;
}

export interface KnowledgeSearchResult {
  object: 'list';
  mode: SearchMode;
  data: KnowledgeSearchHit[];
}

export interface Page<Item> {
  object: 'list';
  data: Item[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

const seconds = (milliseconds: number) => Math.floor(milliseconds / 1000);

export function toKnowledgeBaseObject(
  record: KnowledgeBaseRecord,
  counts: KnowledgeBaseCounts,
): KnowledgeBaseObject {
  return {
    id: record.id,
    object: 'knowledge_base',
    name: record.name,
    description: record.description,
    embedding_model: record.embeddingModel,
    embedding_dimensions: record.embeddingDimensions,
    chunking: { max_tokens: record.chunking.maxTokens, overlap_tokens: record.chunking.overlapTokens },
    metadata: record.metadata,
    document_count: counts.documents,
    chunk_count: counts.chunks,
    created_at: seconds(record.createdAt),
    updated_at: seconds(record.updatedAt),
  };
}

export function toDocumentObject(record: KnowledgeDocumentRecord): KnowledgeDocumentObject {
  return {
    id: record.id,
    object: 'knowledge_document',
    knowledge_base_id: record.knowledgeBaseId,
    external_id: record.externalId,
    title: record.title,
    metadata: record.metadata,
    status: record.status,
    error: record.error,
    character_count: record.characterCount,
    chunk_count: record.chunkCount,
    chunks_embedded: record.chunksEmbedded,
    created_at: seconds(record.createdAt),
    updated_at: seconds(record.updatedAt),
  };
}

export function toSearchHit(
  hit: ScoredChunk,
  document: KnowledgeDocumentRecord | undefined,
  mode: SearchMode,
): KnowledgeSearchHit {
  return {
    document_id: hit.documentId,
    external_id: document?.externalId ?? null,
    chunk_id: hit.chunkId,
    title: document?.title ?? '',
    text: hit.text,
    start: hit.start,
    end: hit.end,
    headings: hit.headings,
    metadata: hit.metadata,
    score: hit.score,
    ...(mode === 'hybrid' ? { vector_rank: hit.vectorRank, keyword_rank: hit.keywordRank } : {}),
  };
}

export function toPage<Item extends { id: string }>(items: Item[], hasMore: boolean): Page<Item> {
  return {
    object: 'list',
    data: items,
    first_id: items[0]?.id ?? null,
    last_id: items.at(-1)?.id ?? null,
    has_more: hasMore,
  };
}
