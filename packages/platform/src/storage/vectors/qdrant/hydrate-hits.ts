import type { Queryable } from '../../db/index.ts';
import { type ChunkRow, chunkHitColumns, toUnrankedHit } from '../chunk-rows.ts';
import type { ChunkHit, ChunkScope } from '../vector-store.ts';

/** A hit without its rank: the row PostgreSQL holds, with the score Qdrant gave it. */
export type UnrankedHit = Omit<ChunkHit, 'rank'>;

/**
 * The chunk rows behind Qdrant's candidates, read through the caller's handle. The WHERE clause
 * is the SQL store's scope again: the organisation (and row-level security on the handle), the
 * knowledge base, the exact metadata containment and the embedding's dimension. So a candidate
 * Qdrant should not have returned — another organisation's point if its filter were wrong, a
 * point left behind by a rolled-back transaction, a chunk whose metadata only looks alike to
 * Qdrant — is dropped here, and text and offsets come from one source of truth.
 */
export async function hydrateCandidates(
  database: Queryable,
  scope: ChunkScope,
  dimensions: number,
  candidates: readonly { chunkId: string; score: number }[],
): Promise<UnrankedHit[]> {
  if (candidates.length === 0) return [];
  const result = await database.query<ChunkRow>(
    `SELECT ${chunkHitColumns}
       FROM knowledge_chunks c
      WHERE c.organization_id = $1 AND c.knowledge_base_id = $2 AND c.metadata @> $3::jsonb
        AND c.id = ANY($4::text[]) AND cardinality(c.embedding) = $5`,
    [
      scope.organizationId,
      scope.knowledgeBaseId,
      JSON.stringify(scope.filter ?? {}),
      candidates.map((candidate) => candidate.chunkId),
      dimensions,
    ],
  );
  const rows = new Map(result.rows.map((row) => [row.id, row]));
  const hits: UnrankedHit[] = [];
  for (const candidate of candidates) {
    const row = rows.get(candidate.chunkId);
    if (!row) continue;
    rows.delete(candidate.chunkId);
    hits.push(toUnrankedHit(row, candidate.score));
  }
  return hits;
}
