import {
  defaultFusionWeights,
  fuseRankings,
  reciprocalRankConstant,
} from '../../packages/platform/src/rag/index.ts';
import type { Cranfield } from './cranfield.ts';
import { quality } from './metrics.ts';

const vectorWeights = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 1];
const constants = [10, 20, 40, 60, 100];

/**
 * Weighted reciprocal rank fusion of the two sides' document rankings, swept on the development
 * split only (the weights in the code were chosen from this table; the evaluation split is never
 * looked at here). Returns a Markdown table of dev nDCG@10 per k and vector weight.
 */
export function fusionSweep(
  vector: ReadonlyMap<number, string[]>,
  keyword: ReadonlyMap<number, string[]>,
  development: Cranfield['queries'],
  judgements: Cranfield['judgements'],
): string {
  const ranks = (ids: readonly string[]) => ids.map((id, index) => ({ id, rank: index + 1 }));
  const rows = constants.map((k) => {
    const cells = vectorWeights.map((weight) => {
      const fused = new Map(
        development.map((query) => [
          query.number,
          fuseRankings(ranks(vector.get(query.number) ?? []), ranks(keyword.get(query.number) ?? []), k, {
            vector: weight,
            keyword: 1,
          }).map((hit) => hit.id),
        ]),
      );
      const value = quality(fused, judgements).ndcgAt10.toFixed(4);
      const chosen = k === reciprocalRankConstant && weight === defaultFusionWeights.vector;
      return chosen ? `**${value}**` : value;
    });
    return `| ${k} | ${cells.join(' | ')} |`;
  });
  return [
    `| k \\ vector weight | ${vectorWeights.join(' | ')} |`,
    `| --- | ${vectorWeights.map(() => '---').join(' | ')} |`,
    ...rows,
  ].join('\n');
}
