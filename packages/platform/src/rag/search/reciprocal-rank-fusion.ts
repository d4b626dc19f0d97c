/**
 * The constant k of reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): a hit at
 * rank r on one side adds 1 / (k + r). 60 is the paper's value and the common default
 * (Elasticsearch, OpenSearch, Azure AI Search); it damps the lead of the very first ranks.
 */
export const reciprocalRankConstant = 60;

/** A hit as one side ranked it (1 = best). */
export interface RankedHit {
  id: string;
  rank: number;
}

/** A fused hit: its fused score and the rank on each side (null where that side missed it). */
export interface FusedHit {
  id: string;
  score: number;
  vectorRank: number | null;
  keywordRank: number | null;
}

/**
 * Fuses the vector and the keyword ranking: score = Σ 1 / (k + rank) over the sides that found
 * the hit. Ties keep the better vector rank first, then the better keyword rank, then the id.
 */
export function fuseRankings(
  vector: readonly RankedHit[],
  keyword: readonly RankedHit[],
  k: number = reciprocalRankConstant,
): FusedHit[] {
  const fused = new Map<string, FusedHit>();
  const entry = (id: string) => {
    let found = fused.get(id);
    if (!found) {
      found = { id, score: 0, vectorRank: null, keywordRank: null };
      fused.set(id, found);
    }
    return found;
  };
  for (const hit of vector) {
    const found = entry(hit.id);
    found.vectorRank = hit.rank;
    found.score += 1 / (k + hit.rank);
  }
  for (const hit of keyword) {
    const found = entry(hit.id);
    found.keywordRank = hit.rank;
    found.score += 1 / (k + hit.rank);
  }
  const worst = Number.POSITIVE_INFINITY;
  return [...fused.values()].sort(
    (left, right) =>
      right.score - left.score ||
      (left.vectorRank ?? worst) - (right.vectorRank ?? worst) ||
      (left.keywordRank ?? worst) - (right.keywordRank ?? worst) ||
      (left.id < right.id ? -1 : left.id > right.id ? 1 : 0),
  );
}
