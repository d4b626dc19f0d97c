import { describe, expect, it } from 'vitest';
import { createEmbeddingCoalescer, type EmbeddingRequest } from './embedding-coalescer.ts';

interface Call {
  caller: string;
  texts: string[];
  requestId: string;
}

function recording(options: { fail?: boolean } = {}) {
  const calls: Call[] = [];
  let shared = 0;
  const coalescer = createEmbeddingCoalescer<string>({
    lingerMs: 1,
    limits: { maxInputs: 4, maxTokens: 100 },
    sharedRequestId: () => `shared-${++shared}`,
    call: async (caller, _model, texts, requestId) => {
      calls.push({ caller, texts, requestId });
      if (options.fail) throw new Error('provider down');
      return texts.map((text) => [text.length]);
    },
  });
  return { calls, coalescer };
}

const request = (key: string, texts: string[], requestId: string): EmbeddingRequest<string> => ({
  key,
  caller: key,
  model: 'sim/embed',
  texts,
  tokenCounts: texts.map(() => 10),
  requestId,
});

describe('the embedding coalescer', () => {
  it('joins concurrent requests of one caller into one call and hands each its own vectors', async () => {
    const { calls, coalescer } = recording();
    const [first, second] = await Promise.all([
      coalescer.embed(request('a', ['x', 'yy'], 'one')),
      coalescer.embed(request('a', ['zzz'], 'two')),
    ]);
    expect(first).toEqual([[1], [2]]);
    expect(second).toEqual([[3]]);
    expect(calls).toEqual([{ caller: 'a', texts: ['x', 'yy', 'zzz'], requestId: 'shared-1' }]);
  });

  it("keeps callers apart, uses a lone request's own id, and never exceeds the batch limits", async () => {
    const { calls, coalescer } = recording();
    await Promise.all([
      coalescer.embed(request('a', ['1', '2', '3'], 'a-1')),
      coalescer.embed(request('b', ['4'], 'b-1')),
      coalescer.embed(request('a', ['5', '6'], 'a-2')),
    ]);
    expect(calls).toEqual([
      { caller: 'a', texts: ['1', '2', '3'], requestId: 'a-1' },
      { caller: 'b', texts: ['4'], requestId: 'b-1' },
      { caller: 'a', texts: ['5', '6'], requestId: 'a-2' },
    ]);
  });

  it('sends a request that fills a batch at once, and rejects every sharer of a failed call', async () => {
    const { calls, coalescer } = recording({ fail: true });
    const outcomes = await Promise.allSettled([
      coalescer.embed(request('a', ['1'], 'a-1')),
      coalescer.embed(request('a', ['2'], 'a-2')),
      coalescer.embed(request('c', ['1', '2', '3', '4'], 'c-1')),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(calls.map((call) => call.requestId).sort()).toEqual(['c-1', 'shared-1']);
  });
});
