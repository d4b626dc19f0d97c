import type { Database } from '../../storage/db/index.ts';
import type { ChunkHit, VectorStore } from '../../storage/vectors/index.ts';
import { defaultFusionWeights, fuseRankings, reciprocalRankConstant } from './reciprocal-rank-fusion.ts';

export type SearchMode = 'hybrid' | 'vector' | 'keyword';

export interface ChunkSearch {
  organizationId: string;
  knowledgeBaseId: string;
  query: string;
  mode: SearchMode;
  topK: number;
  /** Hits scoring below are dropped (the score of the mode: cosine, text rank, or fused). */
  minScore?: number;
  filter?: Record<string, unknown>;
  /** Embeds the query; called only by the modes that search vectors. */
  embedQuery: () => Promise<number[]>;
}

/** A search hit: the chunk, its score in the mode, and in hybrid mode each side's rank (null where it missed). */
export interface ScoredChunk extends Omit<ChunkHit, 'rank' | 'score'> {
  score: number;
  vectorRank: number | null;
  keywordRank: number | null;
}

/** How deep each side ranks before fusion: enough that a hit one side ranks low can still surface. */
export function fusionDepth(topK: number): number {
  return Math.min(Math.max(topK * 4, 50), 1000);
}

const fromSide = (hit: ChunkHit, side: 'vector' | 'keyword'): ScoredChunk => {
  const { rank, ...chunk } = hit;
  return {
    ...chunk,
    vectorRank: side === 'vector' ? rank : null,
    keywordRank: side === 'keyword' ? rank : null,
  };
};

/**
 * Searches one knowledge base: `vector` (cosine similarity of the query's embedding), `keyword`
 * (PostgreSQL full-text rank), or `hybrid`: both sides ranked to {@link fusionDepth} and fused by
 * reciprocal rank fusion with k = {@link reciprocalRankConstant} and {@link defaultFusionWeights}.
 */
export async function searchChunks(
  store: VectorStore,
  database: Database,
  search: ChunkSearch,
): Promise<ScoredChunk[]> {
  const scope = {
    organizationId: search.organizationId,
    knowledgeBaseId: search.knowledgeBaseId,
    ...(search.filter ? { filter: search.filter } : {}),
  };
  const keep = (hits: ScoredChunk[]) =>
    hits.filter((hit) => search.minScore === undefined || hit.score >= search.minScore).slice(0, search.topK);
  if (search.mode === 'keyword') {
    const hits = await store.searchKeyword(database, { ...scope, limit: search.topK }, search.query);
    return keep(hits.map((hit) => fromSide(hit, 'keyword')));
  }
  const vector = await search.embedQuery();
  if (search.mode === 'vector') {
    const hits = await store.searchVector(database, { ...scope, limit: search.topK }, vector);
    return keep(hits.map((hit) => fromSide(hit, 'vector')));
  }
  const depth = fusionDepth(search.topK);
  const vectorHits = await store.searchVector(database, { ...scope, limit: depth }, vector);
  const keywordHits = await store.searchKeyword(database, { ...scope, limit: depth }, search.query);
  const chunks = new Map<string, ChunkHit>([...keywordHits, ...vectorHits].map((hit) => [hit.chunkId, hit]));
  const fused = fuseRankings(
    vectorHits.map((hit) => ({ id: hit.chunkId, rank: hit.rank })),
    keywordHits.map((hit) => ({ id: hit.chunkId, rank: hit.rank })),
    reciprocalRankConstant,
    defaultFusionWeights,
  );
  return keep(
    fused.map((hit) => {
      const { rank: _rank, score: _score, ...chunk } = chunks.get(hit.id)!;
      return { ...chunk, score: hit.score, vectorRank: hit.vectorRank, keywordRank: hit.keywordRank };
    }),
  );
}
