import { describe, expect, it } from 'vitest';
import { mapAnthropicUsage, mergeAnthropicUsage } from './map-anthropic-usage.ts';

describe('mapAnthropicUsage', () => {
  it('adds cache reads and writes to input_tokens, which excludes them', () => {
    expect(
      mapAnthropicUsage({
        input_tokens: 500,
        cache_read_input_tokens: 1500,
        cache_creation_input_tokens: 0,
        output_tokens: 5,
      }),
    ).toEqual({ promptTokens: 2000, completionTokens: 5, cachedPromptTokens: 1500 });
    expect(
      mapAnthropicUsage({
        input_tokens: 20,
        cache_read_input_tokens: 0,
        cache_creation_input_tokens: 3000,
        output_tokens: 40,
      }),
    ).toEqual({
      promptTokens: 3020,
      completionTokens: 40,
      cachedPromptTokens: 0,
      cacheWritePromptTokens: 3000,
    });
  });

  it('reads absent or null cache fields as zero', () => {
    expect(mapAnthropicUsage({ input_tokens: 12, output_tokens: 9, cache_read_input_tokens: null })).toEqual({
      promptTokens: 12,
      completionTokens: 9,
      cachedPromptTokens: 0,
    });
  });

  it('lets cumulative streaming counts replace earlier ones, keeping what the later event lacks', () => {
    const start = {
      input_tokens: 400,
      cache_read_input_tokens: 1500,
      cache_creation_input_tokens: 100,
      output_tokens: 1,
    };
    expect(mapAnthropicUsage(mergeAnthropicUsage(start, { output_tokens: 5 }))).toEqual({
      promptTokens: 2000,
      completionTokens: 5,
      cachedPromptTokens: 1500,
      cacheWritePromptTokens: 100,
    });
    expect(
      mergeAnthropicUsage(start, { output_tokens: 7, input_tokens: 410, cache_read_input_tokens: null }),
    ).toEqual({
      input_tokens: 410,
      cache_read_input_tokens: 1500,
      cache_creation_input_tokens: 100,
      output_tokens: 7,
    });
  });
});
