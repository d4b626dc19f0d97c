import { describe, expect, it } from 'vitest';
import { moonshotModels } from '../moonshot/moonshot-models.ts';
import { openAIModels } from '../openai/openai-models.ts';
import { togetherModels } from '../together/together-models.ts';
import { type OpenAICompatibleCatalogEntry, pricesFromCatalog } from './openai-compatible-model-settings.ts';

const catalogs: Array<[string, readonly OpenAICompatibleCatalogEntry[]]> = [
  ['openai', openAIModels],
  ['together', togetherModels],
  ['moonshot', moonshotModels],
];

// The same rule as `prices:` in kimi.config.yaml: exact in pico-USD per token.
const decimal = /^\d+(\.\d{1,6})?$/;

describe.each(catalogs)('the %s catalog', (_name, models) => {
  it('has unique ids, sane limits and prices the price table can read', () => {
    expect(new Set(models.map((model) => model.id)).size).toBe(models.length);
    for (const model of models) {
      expect(model.contextWindow, model.id).toBeGreaterThan(0);
      if (model.kind === 'chat') expect(model.maxOutputTokens, model.id).toBeGreaterThan(0);
      else expect(model.dimensions, model.id).toBeGreaterThan(0);
      if (model.price === undefined) continue;
      expect(model.price.input_per_million, model.id).toMatch(decimal);
      expect(model.price.output_per_million, model.id).toMatch(decimal);
      if (model.price.cached_input_per_million !== undefined) {
        expect(model.price.cached_input_per_million, model.id).toMatch(decimal);
        expect(Number(model.price.cached_input_per_million)).toBeLessThanOrEqual(
          Number(model.price.input_per_million),
        );
      }
    }
  });
});

describe('pricesFromCatalog', () => {
  it('keys the priced entries by public model id', () => {
    const prices = pricesFromCatalog('together', togetherModels);
    expect(prices['together/meta-llama/Llama-3.3-70B-Instruct-Turbo']).toEqual({
      input_per_million: '0.88',
      output_per_million: '0.88',
    });
    expect(prices).not.toHaveProperty('together/deepseek-ai/DeepSeek-V3');
    expect(Object.keys(pricesFromCatalog('openai', openAIModels))).toHaveLength(openAIModels.length);
  });
});
