import type { ChatRequest, TokenUsage, ToolCall } from '../model/index.ts';
import type { Tokenizer } from '../support/index.ts';

/** Counts usage with the tokenizer, for providers (or broken streams) that report none. */
export function countChatUsage(
  tokenizer: Tokenizer,
  request: ChatRequest,
  completions: ReadonlyArray<{ text: string; toolCalls: readonly ToolCall[] }>,
): TokenUsage {
  const toolsJson = request.tools && request.tools.length > 0 ? JSON.stringify(request.tools) : undefined;
  let completionTokens = 0;
  for (const completion of completions) {
    completionTokens += tokenizer.countText(completion.text);
    for (const call of completion.toolCalls)
      completionTokens += tokenizer.countText(call.name + call.arguments);
  }
  return {
    promptTokens: tokenizer.countChatPrompt(request.messages, toolsJson),
    completionTokens,
    cachedPromptTokens: 0,
  };
}
