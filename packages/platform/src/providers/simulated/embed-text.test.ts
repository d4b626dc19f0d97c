import { beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddingModel } from '../../model/index.ts';
import { loadTokenizer, type Tokenizer } from '../../support/index.ts';
import { embedText } from './embed-text.ts';
import { createSimulatedProvider } from './simulated-provider.ts';
import { cosine, recordingClock } from './simulated-test-support.ts';

const options = { requestId: 'request-1' };
let tokenizer: Tokenizer;
let model: EmbeddingModel;

beforeAll(async () => {
  tokenizer = await loadTokenizer();
  model = createSimulatedProvider({ tokenizer, clock: recordingClock() }).embeddingModel('embed');
});

describe('embedText', () => {
  it('gives unit-length, deterministic vectors, also for empty text', () => {
    for (const text of ['How do I reset my password?', '', 'ünïcödé 東京 🚀']) {
      const vector = embedText(text, 256);
      expect(vector).toHaveLength(256);
      expect(Math.hypot(...vector)).toBeCloseTo(1, 10);
      expect(embedText(text, 256)).toEqual(vector);
    }
  });

  it('scores similar texts well above unrelated ones', () => {
    const question = embedText('How do I reset my account password?', 256);
    const paraphrase = embedText('How can I reset the password of my account', 256);
    const inflected = embedText('resetting account passwords', 256);
    const unrelated = embedText('Quarterly revenue grew in European markets', 256);
    expect(cosine(question, paraphrase)).toBeGreaterThan(0.7);
    expect(cosine(question, inflected)).toBeGreaterThan(0.3);
    expect(Math.abs(cosine(question, unrelated))).toBeLessThan(0.2);
    expect(cosine(question, paraphrase) - cosine(question, unrelated)).toBeGreaterThan(0.5);
  });
});

describe('simulated embedding model', () => {
  it('embeds every input with the default dimensions and counts tokens', async () => {
    const input = ['first text', 'second, longer text about embeddings'];
    const result = await model.embed({ model: 'embed', input }, options);
    expect(result.model).toBe('embed');
    expect(result.embeddings).toHaveLength(2);
    expect(result.embeddings.every((vector) => vector.length === 256)).toBe(true);
    expect(result.embeddings[0]).toEqual(embedText('first text', 256));
    expect(result.usage).toEqual({
      promptTokens: tokenizer.countText(input[0] ?? '') + tokenizer.countText(input[1] ?? ''),
    });
  });

  it('honours a dimensions override and rejects one out of range', async () => {
    const result = await model.embed({ model: 'embed', input: ['hello'], dimensions: 1024 }, options);
    expect(result.embeddings[0]).toHaveLength(1024);
    expect(Math.hypot(...(result.embeddings[0] ?? []))).toBeCloseTo(1, 10);
    await expect(
      model.embed({ model: 'embed', input: ['hello'], dimensions: 5000 }, options),
    ).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      param: 'dimensions',
    });
  });

  it('rejects an input longer than the context window', async () => {
    const small = createSimulatedProvider({
      tokenizer,
      models: { tiny: { kind: 'embedding', context_window: 5 } },
    });
    await expect(
      small
        .embeddingModel('tiny')
        .embed({ model: 'tiny', input: ['one two three four five six seven'] }, options),
    ).rejects.toMatchObject({ code: 'CONTEXT_LENGTH_EXCEEDED' });
  });

  it('fails on demand like chat models', async () => {
    const flaky = createSimulatedProvider({
      tokenizer,
      models: { broken: { kind: 'embedding', failure_rate: 1 } },
    });
    await expect(
      flaky.embeddingModel('broken').embed({ model: 'broken', input: ['x'] }, options),
    ).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
    });
  });
});
