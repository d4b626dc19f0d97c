import { describe, expect, it } from 'vitest';
import { bm25, rankByBm25 } from './bm25-ranking.ts';
import type { PostingList } from './postings-codec.ts';

interface Chunk {
  number: number;
  length: number;
  terms: Record<string, number>;
}

const listOf = (chunks: readonly Chunk[], lexeme: string): PostingList => {
  const holding = chunks
    .filter((chunk) => chunk.terms[lexeme] !== undefined)
    .sort((a, b) => a.number - b.number);
  return {
    numbers: Float64Array.from(holding.map((chunk) => chunk.number)),
    frequencies: Uint16Array.from(holding.map((chunk) => chunk.terms[lexeme]!)),
    lengths: Uint16Array.from(holding.map((chunk) => chunk.length)),
  };
};

/** BM25 written out directly over every live chunk, as the textbook gives it. */
function bruteForce(segments: readonly Chunk[][], deleted: ReadonlySet<number>, query: readonly string[]) {
  const live = segments.flat().filter((chunk) => !deleted.has(chunk.number));
  const average = live.reduce((sum, chunk) => sum + chunk.length, 0) / live.length;
  return live
    .map((chunk) => {
      let score = 0;
      for (const lexeme of query) {
        const frequency = chunk.terms[lexeme];
        if (frequency === undefined) continue;
        const df = live.filter((other) => other.terms[lexeme] !== undefined).length;
        const idf = Math.log(1 + (live.length - df + 0.5) / (df + 0.5));
        score +=
          (idf * frequency * (bm25.k1 + 1)) /
          (frequency + bm25.k1 * (1 - bm25.b + (bm25.b * chunk.length) / average));
      }
      return { number: chunk.number, score };
    })
    .filter((hit) => hit.score > 0)
    .sort((a, b) => b.score - a.score || a.number - b.number);
}

function randomCorpus(seed: number, segmentSizes: readonly number[], spread: number): Chunk[][] {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const vocabulary = ['wing', 'flow', 'heat', 'shock', 'plate', 'boundary', 'layer', 'mach'];
  let number = 1;
  return segmentSizes.map((size) =>
    Array.from({ length: size }, () => {
      const terms: Record<string, number> = {};
      for (const word of vocabulary) if (next() < 0.3) terms[word] = 1 + Math.floor(next() * 4);
      number += 1 + Math.floor(next() * spread);
      return { number, length: 5 + Math.floor(next() * 200), terms };
    }),
  );
}

describe('rankByBm25', () => {
  const query = ['wing', 'heat', 'mach'];

  for (const [name, spread] of [
    ['dense chunk numbers', 1],
    ['sparse chunk numbers (the map path)', 100_000],
  ] as const) {
    it(`matches BM25 computed directly, across segments and tombstones, with ${name}`, () => {
      const segments = randomCorpus(11, [40, 25, 7], spread);
      const deleted = new Set(
        segments
          .flat()
          .filter((_, index) => index % 9 === 0)
          .map((chunk) => chunk.number),
      );
      const live = segments.flat().filter((chunk) => !deleted.has(chunk.number));
      const statistics = {
        chunkCount: live.length,
        averageLength: live.reduce((sum, chunk) => sum + chunk.length, 0) / live.length,
      };
      const lists = segments.map(
        (segment) => new Map(query.map((lexeme) => [lexeme, listOf(segment, lexeme)])),
      );
      const ranked = rankByBm25(lists, deleted, statistics, 15);
      const expected = bruteForce(segments, deleted, query).slice(0, 15);
      expect(ranked.map((hit) => hit.number)).toEqual(expected.map((hit) => hit.number));
      for (const [index, hit] of ranked.entries()) expect(hit.score).toBeCloseTo(expected[index]!.score, 10);
      expect(ranked.some((hit) => deleted.has(hit.number))).toBe(false);
    });
  }

  it('returns nothing for a limit of zero or lexemes no chunk holds', () => {
    const segments = randomCorpus(3, [10], 1);
    const lists = segments.map((segment) => new Map([['wing', listOf(segment, 'wing')]]));
    expect(rankByBm25(lists, new Set(), { chunkCount: 10, averageLength: 50 }, 0)).toEqual([]);
    const none = segments.map(() => new Map([['absent', listOf([], 'absent')]]));
    expect(rankByBm25(none, new Set(), { chunkCount: 10, averageLength: 50 }, 5)).toEqual([]);
  });
});
