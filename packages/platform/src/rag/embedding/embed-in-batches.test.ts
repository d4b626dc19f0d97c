import { describe, expect, it } from 'vitest';
import { embedInBatches, planEmbeddingBatches } from './embed-in-batches.ts';

describe('planEmbeddingBatches', () => {
  it('cuts batches at the input and the token limit, never splitting a text', () => {
    expect(planEmbeddingBatches([1, 1, 1, 1, 1], { maxInputs: 2, maxTokens: 100 })).toEqual([
      { start: 0, end: 2 },
      { start: 2, end: 4 },
      { start: 4, end: 5 },
    ]);
    expect(planEmbeddingBatches([40, 40, 40, 500, 10], { maxInputs: 10, maxTokens: 100 })).toEqual([
      { start: 0, end: 2 },
      { start: 2, end: 3 },
      { start: 3, end: 4 },
      { start: 4, end: 5 },
    ]);
    expect(planEmbeddingBatches([])).toEqual([]);
  });
});

describe('embedInBatches', () => {
  it('returns the vectors in input order across batches', async () => {
    const calls: string[][] = [];
    const vectors = await embedInBatches(
      ['a', 'b', 'c'],
      [1, 1, 1],
      async (texts, index) => {
        calls.push(texts);
        return texts.map((text) => [text.charCodeAt(0), index]);
      },
      { maxInputs: 2, maxTokens: 10 },
    );
    expect(calls).toEqual([['a', 'b'], ['c']]);
    expect(vectors).toEqual([
      [97, 0],
      [98, 0],
      [99, 1],
    ]);
  });

  it('refuses a batch answered with the wrong number of vectors', async () => {
    await expect(embedInBatches(['a', 'b'], [1, 1], async () => [[1]])).rejects.toThrow(/1 vectors for 2/);
  });
});
