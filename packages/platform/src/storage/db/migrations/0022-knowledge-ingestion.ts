import type { Migration } from './migration.ts';

/**
 * Knowledge ingestion as queue jobs. A document row now carries what its job needs to act as the
 * uploader (`caller`, the key context without the request origin), the chunking settings it was
 * counted with (so a resumed job chunks the same way even after the knowledge base's settings
 * change), its progress (`chunks_embedded`), how many times a job took it (`ingestion_attempts`,
 * so a document that keeps killing its worker is failed instead of retried for ever) and the
 * sequence number of its last event. Embedded chunks wait in `knowledge_staged_chunks` (only the
 * position and the vector: the text is the document's, chunked again) until the last batch, when
 * they move into `knowledge_chunks` in the transaction that makes the document ready, so search
 * never sees a document before it is complete. `knowledge_document_events` is each document's
 * event log, numbered per document, for SSE streams resumed with Last-Event-ID. Plans gain the
 * knowledge size limits (null: unlimited).
 */
export const knowledgeIngestionMigration: Migration = {
  version: 22,
  name: 'knowledge-ingestion',
  sql: `
ALTER TABLE knowledge_documents
  ADD COLUMN caller jsonb,
  ADD COLUMN chunking jsonb,
  ADD COLUMN chunks_embedded integer NOT NULL DEFAULT 0,
  ADD COLUMN ingestion_attempts integer NOT NULL DEFAULT 0,
  ADD COLUMN last_event_sequence integer NOT NULL DEFAULT 0;
CREATE INDEX knowledge_documents_pending_idx ON knowledge_documents (created_at)
  WHERE status IN ('queued', 'processing');

CREATE TABLE knowledge_staged_chunks (
  organization_id text NOT NULL REFERENCES organizations (id),
  document_id text NOT NULL REFERENCES knowledge_documents (id) ON DELETE CASCADE,
  position integer NOT NULL,
  embedding real[] NOT NULL,
  PRIMARY KEY (document_id, position)
);
SELECT kimi_isolate_by_organization('knowledge_staged_chunks', 'organization_id');

CREATE TABLE knowledge_document_events (
  organization_id text NOT NULL REFERENCES organizations (id),
  document_id text NOT NULL REFERENCES knowledge_documents (id) ON DELETE CASCADE,
  sequence integer NOT NULL,
  type text NOT NULL,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (document_id, sequence)
);
SELECT kimi_isolate_by_organization('knowledge_document_events', 'organization_id');

ALTER TABLE plans
  ADD COLUMN knowledge_max_file_bytes bigint CHECK (knowledge_max_file_bytes IS NULL OR knowledge_max_file_bytes > 0),
  ADD COLUMN knowledge_max_documents integer CHECK (knowledge_max_documents IS NULL OR knowledge_max_documents >= 0),
  ADD COLUMN knowledge_max_chunks integer CHECK (knowledge_max_chunks IS NULL OR knowledge_max_chunks >= 0);
`,
};
