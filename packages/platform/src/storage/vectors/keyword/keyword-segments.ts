import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../db/index.ts';
import { packedPostingSql } from './postings-codec.ts';

/** One knowledge base of one organisation. */
export interface BaseScope {
  organizationId: string;
  knowledgeBaseId: string;
}

/** A segment as a search or a merge needs it. */
export interface SegmentRow {
  id: string;
  chunk_count: number;
  token_total: number;
  deleted_numbers: number[];
  deleted_token_total: number;
}

/** Merge once this many segments share a size tier (a power of ten of live chunks). */
export const segmentsPerTier = 10;
/**
 * No merge writes a segment larger than this many live chunks: on the embedded store a merge is a
 * transaction that holds the only connection, and merging 100,000 chunks took 26 s there; ten
 * thousand take a few seconds, and a search over ten such segments stays a handful of statements.
 */
export const largestMergedSegment = 10_000;
/** Rewrite a segment alone once this share of its chunks is deleted. */
export const deletedShareToCompact = 0.25;

/** Serialises tombstones and merges of one knowledge base (call inside a transaction). */
export async function lockSegments(transaction: Queryable, scope: BaseScope): Promise<void> {
  await transaction.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
    `knowledge-segments:${scope.knowledgeBaseId}`,
  ]);
}

/**
 * Indexes the chunks `chunkSource` selects (a condition on `c`, with `$3` onwards as
 * `parameters`) as a new segment — its row, per lexeme the packed postings, and its members — in
 * one statement: every part reads the chunks as they were before it (one snapshot), which a merge
 * needs (it selects its chunks through the memberships it moves), and PGlite pays its per-statement
 * cost once. Returns the segment's id, or null when no chunk was selected.
 */
async function writeSegmentFrom(
  transaction: Queryable,
  scope: BaseScope,
  chunkSource: { join: string; where: string; parameters: readonly unknown[] },
): Promise<string | null> {
  const id = `kseg_${randomUUID().replaceAll('-', '')}`;
  const parameters = [scope.organizationId, scope.knowledgeBaseId, ...chunkSource.parameters, id];
  const idParameter = `$${parameters.length}`;
  const inserted = await transaction.query<{ id: string }>(
    `WITH chunks AS MATERIALIZED (
       SELECT c.number, c.token_count, c.text_search FROM knowledge_chunks c ${chunkSource.join}
        WHERE c.organization_id = $1 AND c.knowledge_base_id = $2 AND ${chunkSource.where}),
     segment AS (
       INSERT INTO knowledge_segments (id, organization_id, knowledge_base_id, chunk_count, token_total)
         SELECT ${idParameter}, $1, $2, count(*), coalesce(sum(c.token_count), 0) FROM chunks c
         HAVING count(*) > 0
       RETURNING id),
     postings AS (
       INSERT INTO knowledge_postings (segment_id, lexeme, organization_id, postings)
         SELECT segment.id, term.lexeme, $1, string_agg(${packedPostingSql}, ''::bytea ORDER BY c.number)
           FROM segment, chunks c CROSS JOIN LATERAL unnest(c.text_search) AS term
          GROUP BY segment.id, term.lexeme),
     members AS (
       INSERT INTO knowledge_segment_members (number, segment_id, organization_id)
         SELECT c.number, segment.id, $1 FROM segment, chunks c
       ON CONFLICT (number) DO UPDATE SET segment_id = EXCLUDED.segment_id)
     SELECT id FROM segment`,
    parameters,
  );
  return inserted.rows[0]?.id ?? null;
}

/** Indexes freshly written chunks (by id) as one new segment. */
export function writeSegment(
  transaction: Queryable,
  scope: BaseScope,
  chunkIds: readonly string[],
): Promise<string | null> {
  return writeSegmentFrom(transaction, scope, {
    join: '',
    where: 'c.id = ANY($3::text[])',
    parameters: [chunkIds],
  });
}

/**
 * Records the chunks `where` selects (a condition on `c`, `$3` onwards) as deleted in the
 * segments holding them, then deletes the chunks; returns how many. Call after `lockSegments`.
 */
export async function deleteChunks(
  transaction: Queryable,
  scope: BaseScope,
  where: string,
  parameters: readonly unknown[],
): Promise<number> {
  const all = [scope.organizationId, scope.knowledgeBaseId, ...parameters];
  await transaction.query(
    `UPDATE knowledge_segments s
        SET deleted_numbers = s.deleted_numbers || gone.numbers,
            deleted_token_total = s.deleted_token_total + gone.tokens
       FROM (SELECT m.segment_id, array_agg(c.number) AS numbers, sum(c.token_count) AS tokens
               FROM knowledge_chunks c JOIN knowledge_segment_members m ON m.number = c.number
              WHERE c.organization_id = $1 AND c.knowledge_base_id = $2 AND ${where}
              GROUP BY m.segment_id) gone
      WHERE s.id = gone.segment_id`,
    all,
  );
  const result = await transaction.query(
    `DELETE FROM knowledge_chunks c WHERE c.organization_id = $1 AND c.knowledge_base_id = $2 AND ${where}`,
    all,
  );
  return result.rowCount;
}

/** The knowledge base's segments. */
export async function listSegments(database: Queryable, scope: BaseScope): Promise<SegmentRow[]> {
  const result = await database.query<SegmentRow>(
    `SELECT id, chunk_count, token_total, deleted_numbers, deleted_token_total FROM knowledge_segments
      WHERE organization_id = $1 AND knowledge_base_id = $2`,
    [scope.organizationId, scope.knowledgeBaseId],
  );
  return result.rows;
}

const liveChunks = (segment: SegmentRow) => segment.chunk_count - segment.deleted_numbers.length;

/**
 * Which segments to merge next, or null: a segment with a quarter or more of its chunks deleted
 * (rewritten alone), else the {@link segmentsPerTier} smallest of the first size tier
 * (⌊log10 live chunks⌋) holding that many, unless together they would pass
 * {@link largestMergedSegment} — so a knowledge base keeps fewer than ten segments per power of ten
 * up to that size, and each chunk is rewritten about once per tier it climbs.
 */
export function chooseMerge(segments: readonly SegmentRow[]): string[] | null {
  const worn = segments.find(
    (segment) => segment.deleted_numbers.length >= Math.max(1, segment.chunk_count * deletedShareToCompact),
  );
  if (worn) return [worn.id];
  const tiers = new Map<number, SegmentRow[]>();
  for (const segment of segments) {
    const tier = Math.floor(Math.log10(Math.max(liveChunks(segment), 1)));
    tiers.set(tier, [...(tiers.get(tier) ?? []), segment]);
  }
  for (const tier of [...tiers.keys()].sort((a, b) => a - b)) {
    const members = tiers.get(tier)!;
    if (members.length < segmentsPerTier) continue;
    const smallest = members.sort((a, b) => liveChunks(a) - liveChunks(b)).slice(0, segmentsPerTier);
    if (smallest.reduce((sum, segment) => sum + liveChunks(segment), 0) > largestMergedSegment) continue;
    return smallest.map((segment) => segment.id);
  }
  return null;
}

/**
 * Rewrites `segmentIds` as one segment from their live chunks, in one transaction under the
 * knowledge base's lock; a segment another process merged meanwhile makes this a no-op.
 * Returns the new segment's id, or null when nothing was merged.
 */
export async function mergeSegments(
  transaction: Queryable,
  scope: BaseScope,
  segmentIds: readonly string[],
): Promise<string | null> {
  await lockSegments(transaction, scope);
  const present = await transaction.query<{ id: string }>(
    'SELECT id FROM knowledge_segments WHERE organization_id = $1 AND knowledge_base_id = $2 AND id = ANY($3::text[])',
    [scope.organizationId, scope.knowledgeBaseId, segmentIds],
  );
  if (present.rows.length !== segmentIds.length) return null;
  const merged = await writeSegmentFrom(transaction, scope, {
    join: 'JOIN knowledge_segment_members m ON m.number = c.number',
    where: 'm.segment_id = ANY($3::text[])',
    parameters: [segmentIds],
  });
  await transaction.query(
    'DELETE FROM knowledge_segments WHERE organization_id = $1 AND knowledge_base_id = $2 AND id = ANY($3::text[])',
    [scope.organizationId, scope.knowledgeBaseId, segmentIds],
  );
  return merged;
}
