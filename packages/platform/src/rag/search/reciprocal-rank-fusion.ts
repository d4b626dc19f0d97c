/**
 * The constant k of reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): a hit at
 * rank r on one side adds weight / (k + r). The paper's value and the common default
 * (Elasticsearch, OpenSearch, Azure AI Search) is 60; 20, which lets the first ranks lead more,
 * scored best on the development split (see {@link defaultFusionWeights}).
 */
export const reciprocalRankConstant = 20;

/**
 * How much each side's reciprocal rank counts in `hybrid` search. Tuned, with
 * {@link reciprocalRankConstant}, on the development split (odd-numbered queries) of the
 * Cranfield collection with the simulated embedding model (`npm run bench:rag` prints the sweep):
 * full weight on BM25 and a fifth on the vector side, whose ranking there is much weaker
 * (nDCG@10 0.25 against 0.37). See docs/knowledge-bases.md.
 */
export interface FusionWeights {
  vector: number;
  keyword: number;
}

export const defaultFusionWeights: FusionWeights = { vector: 0.2, keyword: 1 };

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
 * Fuses the vector and the keyword ranking: score = Σ weight / (k + rank) over the sides that
 * found the hit. Ties keep the better vector rank first, then the better keyword rank, then the id.
 */
export function fuseRankings(
  vector: readonly RankedHit[],
  keyword: readonly RankedHit[],
  k: number = reciprocalRankConstant,
  weights: FusionWeights = { vector: 1, keyword: 1 },
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
    found.score += weights.vector / (k + hit.rank);
  }
  for (const hit of keyword) {
    const found = entry(hit.id);
    found.keywordRank = hit.rank;
    found.score += weights.keyword / (k + hit.rank);
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
