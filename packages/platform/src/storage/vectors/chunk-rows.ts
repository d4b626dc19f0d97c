/** One hit: the chunk, its 1-based rank on this side and its score (cosine similarity, or the text rank). */
export interface ChunkHit {
  chunkId: string;
  documentId: string;
  position: number;
  text: string;
  start: number;
  end: number;
  headings: string[];
  metadata: Record<string, unknown>;
  score: number;
  rank: number;
}

/** A `knowledge_chunks` row as searches read it (see {@link chunkHitColumns}). */
export interface ChunkRow {
  id: string;
  document_id: string;
  position: number;
  text: string;
  start_offset: number;
  end_offset: number;
  headings: string[];
  metadata: Record<string, unknown>;
}

/** The columns of a {@link ChunkRow}, on the table aliased `c`. */
export const chunkHitColumns =
  'c.id, c.document_id, c.position, c.text, c.start_offset, c.end_offset, c.headings, c.metadata';

/** The hit a row makes, with its score and without its rank. */
export function toUnrankedHit(row: ChunkRow, score: number): Omit<ChunkHit, 'rank'> {
  return {
    chunkId: row.id,
    documentId: row.document_id,
    position: row.position,
    text: row.text,
    start: row.start_offset,
    end: row.end_offset,
    headings: row.headings,
    metadata: row.metadata,
    score,
  };
}
