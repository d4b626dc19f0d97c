import type { TokenUsage } from '../../model/index.ts';
import type { AnthropicUsage } from './anthropic-api.ts';

/**
 * Anthropic's usage as ours. Anthropic's `input_tokens` counts only the tokens after the last
 * cache breakpoint, so the prompt is input + cache reads + cache writes; the cache reads are the
 * cached part.
 */
export function mapAnthropicUsage(usage: AnthropicUsage): TokenUsage {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheCreation = usage.cache_creation_input_tokens ?? 0;
  // Why: the split by lifetime is reported beside the total; a one-hour write costs more.
  const oneHour = Math.min(usage.cache_creation?.ephemeral_1h_input_tokens ?? 0, cacheCreation);
  return {
    promptTokens: (usage.input_tokens ?? 0) + cacheRead + cacheCreation,
    completionTokens: usage.output_tokens ?? 0,
    cachedPromptTokens: cacheRead,
    ...(cacheCreation > 0 ? { cacheWritePromptTokens: cacheCreation } : {}),
    ...(oneHour > 0 ? { cacheWriteOneHourPromptTokens: oneHour } : {}),
  };
}

/** Streaming usage: `message_delta` counts are cumulative, so a present value replaces the earlier one. */
export function mergeAnthropicUsage(earlier: AnthropicUsage, later: AnthropicUsage): AnthropicUsage {
  return {
    input_tokens: later.input_tokens ?? earlier.input_tokens,
    output_tokens: later.output_tokens ?? earlier.output_tokens,
    cache_creation_input_tokens: later.cache_creation_input_tokens ?? earlier.cache_creation_input_tokens,
    cache_read_input_tokens: later.cache_read_input_tokens ?? earlier.cache_read_input_tokens,
    cache_creation: later.cache_creation ?? earlier.cache_creation,
  };
}
