import type { Migration } from './migration.ts';

/**
 * The keyword side of knowledge-base search as an inverted index in immutable segments (see
 * `storage/vectors/keyword/`). Each chunk gets a permanent `number`; each write of chunks adds a
 * segment whose `knowledge_postings` rows hold, per lexeme, the packed postings
 * (chunk number, term frequency, chunk length) of the segment's chunks, derived in SQL from their
 * `tsvector`. Deleting chunks records their numbers as the segment's tombstones; a merge rewrites
 * several segments as one from the live chunks. `knowledge_segment_members` says which segment
 * holds a chunk (merges move it without touching the chunk's row, which carries the embedding and
 * its index entries). Chunks that exist already become one segment per knowledge base.
 * Version 22 belongs to another change.
 */
export const knowledgeKeywordSegmentsMigration: Migration = {
  version: 23,
  name: 'knowledge-keyword-segments',
  sql: `
ALTER TABLE knowledge_chunks ADD COLUMN number bigint GENERATED ALWAYS AS IDENTITY;
CREATE UNIQUE INDEX knowledge_chunks_number_idx ON knowledge_chunks (number);

CREATE TABLE knowledge_segments (
  id text PRIMARY KEY,
  organization_id text NOT NULL REFERENCES organizations (id),
  knowledge_base_id text NOT NULL REFERENCES knowledge_bases (id) ON DELETE CASCADE,
  chunk_count integer NOT NULL,
  token_total bigint NOT NULL,
  deleted_numbers bigint[] NOT NULL DEFAULT '{}',
  deleted_token_total bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX knowledge_segments_base_idx ON knowledge_segments (organization_id, knowledge_base_id);
SELECT kimi_isolate_by_organization('knowledge_segments', 'organization_id');

CREATE TABLE knowledge_postings (
  segment_id text NOT NULL REFERENCES knowledge_segments (id) ON DELETE CASCADE,
  lexeme text NOT NULL,
  organization_id text NOT NULL REFERENCES organizations (id),
  postings bytea NOT NULL,
  PRIMARY KEY (segment_id, lexeme)
);
ALTER TABLE knowledge_postings ALTER COLUMN postings SET STORAGE EXTERNAL;
SELECT kimi_isolate_by_organization('knowledge_postings', 'organization_id');

CREATE TABLE knowledge_segment_members (
  number bigint PRIMARY KEY REFERENCES knowledge_chunks (number) ON DELETE CASCADE,
  segment_id text NOT NULL REFERENCES knowledge_segments (id) ON DELETE CASCADE,
  organization_id text NOT NULL REFERENCES organizations (id)
);
CREATE INDEX knowledge_segment_members_segment_idx ON knowledge_segment_members (segment_id);
SELECT kimi_isolate_by_organization('knowledge_segment_members', 'organization_id');

INSERT INTO knowledge_segments (id, organization_id, knowledge_base_id, chunk_count, token_total)
  SELECT 'kseg_' || md5(knowledge_base_id), organization_id, knowledge_base_id, count(*), sum(token_count)
    FROM knowledge_chunks GROUP BY organization_id, knowledge_base_id;
INSERT INTO knowledge_segment_members (number, segment_id, organization_id)
  SELECT number, 'kseg_' || md5(knowledge_base_id), organization_id FROM knowledge_chunks;
INSERT INTO knowledge_postings (segment_id, lexeme, organization_id, postings)
  SELECT 'kseg_' || md5(c.knowledge_base_id), term.lexeme, c.organization_id,
         string_agg(int8send(c.number) || int2send(least(cardinality(term.positions), 32767)::int2)
                    || int2send(least(c.token_count, 32767)::int2), ''::bytea ORDER BY c.number)
    FROM knowledge_chunks c CROSS JOIN LATERAL unnest(c.text_search) AS term
   GROUP BY c.organization_id, c.knowledge_base_id, term.lexeme;
`,
};
