import type { TokenUsage } from '../../model/index.ts';
import type { OpenAIUsage } from './openai-compatible-api.ts';

/** Our usage from the wire's; null when the server reported no token counts at all. */
export function readOpenAICompatibleUsage(usage: OpenAIUsage | null | undefined): TokenUsage | null {
  if (!usage) return null;
  if (usage.prompt_tokens == null && usage.completion_tokens == null) return null;
  return {
    promptTokens: usage.prompt_tokens ?? 0,
    completionTokens: usage.completion_tokens ?? 0,
    cachedPromptTokens:
      usage.prompt_tokens_details?.cached_tokens ?? usage.cached_tokens ?? usage.prompt_cache_hit_tokens ?? 0,
  };
}
