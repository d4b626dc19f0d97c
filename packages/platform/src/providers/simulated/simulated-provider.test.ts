import { beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizer, type Tokenizer } from '../../support/index.ts';
import { createSimulatedProvider } from './simulated-provider.ts';
import { recordingClock, userRequest } from './simulated-test-support.ts';

const options = { requestId: 'request-1' };
let tokenizer: Tokenizer;

beforeAll(async () => {
  tokenizer = await loadTokenizer();
});

describe('createSimulatedProvider', () => {
  it('offers the default models when none are configured', () => {
    const provider = createSimulatedProvider({ tokenizer });
    expect(provider.name).toBe('sim');
    expect(provider.simulated).toBe(true);
    const models = provider.listModels();
    expect(models.map((model) => model.id)).toEqual([
      'sim/fast',
      'sim/smart',
      'sim/mini',
      'sim/flaky',
      'sim/embed',
    ]);
    expect(models.find((model) => model.id === 'sim/fast')).toEqual({
      id: 'sim/fast',
      provider: 'sim',
      modelId: 'fast',
      kind: 'chat',
      contextWindow: 128_000,
      maxOutputTokens: 4096,
      simulated: true,
      capabilities: { streaming: true, tools: true, jsonMode: true, vision: true },
    });
    expect(models.find((model) => model.id === 'sim/smart')?.contextWindow).toBe(200_000);
    expect(models.find((model) => model.id === 'sim/mini')?.contextWindow).toBe(16_000);
    expect(models.find((model) => model.id === 'sim/embed')).toMatchObject({
      kind: 'embedding',
      dimensions: 256,
    });
  });

  it('merges configured models over the defaults, replacing a default by name', async () => {
    const clock = recordingClock();
    const provider = createSimulatedProvider({
      tokenizer,
      clock,
      models: { fast: { latency_ms: 5 }, large: { context_window: 1_000_000, max_output_tokens: 32_000 } },
    });
    const ids = provider.listModels().map((model) => model.id);
    expect(ids).toContain('sim/large');
    expect(ids).toContain('sim/smart');
    expect(provider.listModels().find((model) => model.id === 'sim/large')?.contextWindow).toBe(1_000_000);
    await provider.languageModel('fast').generate(userRequest('Hi'), options);
    expect(clock.sleeps).toEqual([5]);
  });

  it('reports invalid settings with their config path', () => {
    expect(() => createSimulatedProvider({ tokenizer, models: { broken: { failure_rate: 2 } } })).toThrow(
      expect.objectContaining({ code: 'INVALID_REQUEST', param: 'providers.sim.models.broken.failure_rate' }),
    );
  });

  it('throws MODEL_NOT_FOUND for unknown models and MODEL_CAPABILITY_MISSING for the wrong kind', () => {
    const provider = createSimulatedProvider({ tokenizer });
    expect(() => provider.languageModel('nope')).toThrow(
      expect.objectContaining({ code: 'MODEL_NOT_FOUND', status: 404 }),
    );
    expect(() => provider.embeddingModel('nope')).toThrow(
      expect.objectContaining({ code: 'MODEL_NOT_FOUND' }),
    );
    expect(() => provider.languageModel('embed')).toThrow(
      expect.objectContaining({
        code: 'MODEL_CAPABILITY_MISSING',
        message: expect.stringContaining('sim/embed'),
      }),
    );
    expect(() => provider.embeddingModel('fast')).toThrow(
      expect.objectContaining({ code: 'MODEL_CAPABILITY_MISSING' }),
    );
    expect(provider.languageModel('fast')).toMatchObject({ provider: 'sim', modelId: 'fast' });
  });

  it('rejects a prompt longer than the context window before any latency', async () => {
    const clock = recordingClock();
    const provider = createSimulatedProvider({
      tokenizer,
      clock,
      models: { mini: { context_window: 50, latency_ms: 10 } },
    });
    const longPrompt = 'word '.repeat(200);
    await expect(
      provider.languageModel('mini').generate(userRequest(longPrompt), options),
    ).rejects.toMatchObject({
      code: 'CONTEXT_LENGTH_EXCEEDED',
      status: 400,
      param: 'messages',
    });
    await expect(async () => {
      for await (const _ of provider.languageModel('mini').stream(userRequest(longPrompt), options)) break;
    }).rejects.toMatchObject({ code: 'CONTEXT_LENGTH_EXCEEDED' });
    expect(clock.sleeps).toEqual([]);
  });

  it('caps replies at the model’s max_output_tokens', async () => {
    const provider = createSimulatedProvider({ tokenizer, models: { terse: { max_output_tokens: 3 } } });
    const result = await provider.languageModel('terse').generate(userRequest('Tell me everything'), options);
    expect(result.choices[0]?.finishReason).toBe('length');
    expect(tokenizer.countText(result.choices[0]?.content ?? '')).toBeLessThanOrEqual(3);
  });
});
