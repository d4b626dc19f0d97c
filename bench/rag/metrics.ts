/**
 * Ranking quality against graded judgements: nDCG@10 (gains as judged, log2 discount), MAP and
 * recall@100 (a document is relevant when its gain is above 0). Queries without any relevant
 * document are left out, as trec_eval does.
 */
export interface QualityFigures {
  ndcgAt10: number;
  meanAveragePrecision: number;
  recallAt100: number;
  queries: number;
}

function discountedGain(gains: readonly number[]): number {
  return gains.reduce((sum, gain, rank) => sum + gain / Math.log2(rank + 2), 0);
}

export function ndcgAt(
  ranked: readonly string[],
  judged: ReadonlyMap<string, number>,
  depth: number,
): number {
  const gains = ranked.slice(0, depth).map((id) => judged.get(id) ?? 0);
  const ideal = [...judged.values()]
    .filter((gain) => gain > 0)
    .sort((a, b) => b - a)
    .slice(0, depth);
  const best = discountedGain(ideal);
  return best === 0 ? 0 : discountedGain(gains) / best;
}

export function averagePrecision(ranked: readonly string[], judged: ReadonlyMap<string, number>): number {
  const relevant = [...judged.values()].filter((gain) => gain > 0).length;
  if (relevant === 0) return 0;
  let found = 0;
  let sum = 0;
  ranked.forEach((id, rank) => {
    if ((judged.get(id) ?? 0) > 0) {
      found += 1;
      sum += found / (rank + 1);
    }
  });
  return sum / relevant;
}

export function recallAt(
  ranked: readonly string[],
  judged: ReadonlyMap<string, number>,
  depth: number,
): number {
  const relevant = [...judged.entries()].filter(([, gain]) => gain > 0).map(([id]) => id);
  if (relevant.length === 0) return 0;
  const top = new Set(ranked.slice(0, depth));
  return relevant.filter((id) => top.has(id)).length / relevant.length;
}

/** The mean figures over the queries that have relevant documents. */
export function quality(
  rankings: ReadonlyMap<number, readonly string[]>,
  judgements: ReadonlyMap<number, ReadonlyMap<string, number>>,
): QualityFigures {
  const scored = [...rankings].filter(([query]) =>
    [...(judgements.get(query)?.values() ?? [])].some((gain) => gain > 0),
  );
  const mean = (values: number[]) =>
    values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
  const judgedOf = (query: number) => judgements.get(query) ?? new Map<string, number>();
  return {
    ndcgAt10: mean(scored.map(([query, ranked]) => ndcgAt(ranked, judgedOf(query), 10))),
    meanAveragePrecision: mean(scored.map(([query, ranked]) => averagePrecision(ranked, judgedOf(query)))),
    recallAt100: mean(scored.map(([query, ranked]) => recallAt(ranked, judgedOf(query), 100))),
    queries: scored.length,
  };
}
