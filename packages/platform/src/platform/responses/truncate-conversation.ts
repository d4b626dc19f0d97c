import type { ChatMessage, ChatRequest } from '../../model/index.ts';
import type { Tokenizer } from '../../support/index.ts';

/**
 * `truncation: "auto"`: drops the oldest turns (never the leading system messages, never the last
 * message) until the prompt and the completion budget fit the context window; a tool result
 * whose call was dropped goes with it, since no provider accepts an orphaned result.
 */
export function truncateConversation(
  request: Omit<ChatRequest, 'model'>,
  contextWindow: number,
  tokenizer: Tokenizer,
): Omit<ChatRequest, 'model'> {
  const toolsJson = request.tools ? JSON.stringify(request.tools) : undefined;
  const budget = contextWindow - (request.maxTokens ?? 0);
  const leading = request.messages.findIndex((message) => message.role !== 'system');
  const system = leading === -1 ? request.messages : request.messages.slice(0, leading);
  let rest: ChatMessage[] = leading === -1 ? [] : request.messages.slice(leading);
  const fits = () => tokenizer.countChatPrompt([...system, ...rest], toolsJson) <= budget;
  if (fits()) return request;
  while (rest.length > 1 && !fits()) {
    rest = rest.slice(1);
    while (rest.length > 1 && rest[0]?.role === 'tool') rest = rest.slice(1);
  }
  return { ...request, messages: [...system, ...rest] };
}
