import { describe, expect, it } from 'vitest';
import { fuseRankings, reciprocalRankConstant } from './reciprocal-rank-fusion.ts';

describe('fuseRankings', () => {
  it('adds 1 / (20 + rank) per side with equal weights and keeps each side rank', () => {
    const fused = fuseRankings(
      [
        { id: 'a', rank: 1 },
        { id: 'b', rank: 2 },
      ],
      [
        { id: 'b', rank: 1 },
        { id: 'c', rank: 2 },
      ],
    );
    expect(reciprocalRankConstant).toBe(20);
    expect(fused.map((hit) => hit.id)).toEqual(['b', 'a', 'c']);
    expect(fused[0]).toEqual({ id: 'b', score: 1 / 22 + 1 / 21, vectorRank: 2, keywordRank: 1 });
    expect(fused[1]).toEqual({ id: 'a', score: 1 / 21, vectorRank: 1, keywordRank: null });
    expect(fused[2]).toEqual({ id: 'c', score: 1 / 22, vectorRank: null, keywordRank: 2 });
  });

  it('breaks equal scores by the vector rank, then the keyword rank', () => {
    const fused = fuseRankings([{ id: 'v', rank: 3 }], [{ id: 'k', rank: 3 }]);
    expect(fused.map((hit) => hit.id)).toEqual(['v', 'k']);
  });

  it('weighs each side', () => {
    const fused = fuseRankings([{ id: 'v', rank: 1 }], [{ id: 'k', rank: 2 }], 20, {
      vector: 0.2,
      keyword: 1,
    });
    expect(fused.map((hit) => hit.id)).toEqual(['k', 'v']);
    expect(fused[0]!.score).toBeCloseTo(1 / 22, 12);
    expect(fused[1]!.score).toBeCloseTo(0.2 / 21, 12);
  });

  it('honours another constant and empty sides', () => {
    expect(fuseRankings([{ id: 'a', rank: 1 }], [], 0)[0]!.score).toBe(1);
    expect(fuseRankings([], [])).toEqual([]);
  });
});
