import type { Migration } from './migration.ts';

/**
 * Knowledge bases (RAG). A knowledge base names its embedding model and chunking settings; a
 * document is written first with its status and chunk count (so queued ingestion can follow), and
 * its chunks carry character offsets into the document's text, a copy of the document's metadata
 * (filtered with `@>`, GIN-indexed), the embedding as `real[]` (the exact scan, everywhere) and a
 * generated `tsvector` (full-text search, GIN-indexed). The pgvector column and its HNSW indexes
 * are added at start-up by the schema owner where the extension exists (see
 * `storage/vectors/chunk-vectors.ts`), as the semantic cache does: the schema must migrate where
 * pgvector is missing, and the dimension depends on the embedding model. A document keeps its
 * source text (`content`: chunk offsets point into it; queued ingestion will read it). Only one
 * `ready` document per `external_id`: a replacement is written beside the old one and takes its
 * place in one transaction when its chunks are stored. Deleting a knowledge base
 * or a document cascades to everything below it. Version 19 belongs to another change.
 */
export const knowledgeBasesMigration: Migration = {
  version: 21,
  name: 'knowledge-bases',
  sql: `
CREATE TABLE knowledge_bases (
  id text PRIMARY KEY,
  organization_id text NOT NULL REFERENCES organizations (id),
  name text NOT NULL,
  description text,
  embedding_model text NOT NULL,
  embedding_dimensions integer,
  chunking jsonb NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX knowledge_bases_organization_idx ON knowledge_bases (organization_id, created_at);
SELECT kimi_isolate_by_organization('knowledge_bases', 'organization_id');

CREATE TABLE knowledge_documents (
  id text PRIMARY KEY,
  organization_id text NOT NULL REFERENCES organizations (id),
  knowledge_base_id text NOT NULL REFERENCES knowledge_bases (id) ON DELETE CASCADE,
  external_id text,
  title text NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  status text NOT NULL CHECK (status IN ('queued', 'processing', 'ready', 'failed')),
  error jsonb,
  content text NOT NULL,
  character_count integer NOT NULL,
  chunk_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX knowledge_documents_external_id_idx ON knowledge_documents (knowledge_base_id, external_id)
  WHERE external_id IS NOT NULL AND status = 'ready';
CREATE INDEX knowledge_documents_external_lookup_idx ON knowledge_documents (knowledge_base_id, external_id);
CREATE INDEX knowledge_documents_base_idx ON knowledge_documents (knowledge_base_id, created_at);
SELECT kimi_isolate_by_organization('knowledge_documents', 'organization_id');

CREATE TABLE knowledge_chunks (
  id text PRIMARY KEY,
  organization_id text NOT NULL REFERENCES organizations (id),
  knowledge_base_id text NOT NULL REFERENCES knowledge_bases (id) ON DELETE CASCADE,
  document_id text NOT NULL REFERENCES knowledge_documents (id) ON DELETE CASCADE,
  position integer NOT NULL,
  text text NOT NULL,
  start_offset integer NOT NULL,
  end_offset integer NOT NULL,
  token_count integer NOT NULL,
  headings text[] NOT NULL DEFAULT '{}',
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  embedding real[] NOT NULL,
  text_search tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED
);
CREATE INDEX knowledge_chunks_base_idx ON knowledge_chunks (organization_id, knowledge_base_id);
CREATE INDEX knowledge_chunks_document_idx ON knowledge_chunks (document_id, position);
CREATE INDEX knowledge_chunks_text_search_idx ON knowledge_chunks USING gin (text_search);
CREATE INDEX knowledge_chunks_metadata_idx ON knowledge_chunks USING gin (metadata jsonb_path_ops);
SELECT kimi_isolate_by_organization('knowledge_chunks', 'organization_id');
`,
};
