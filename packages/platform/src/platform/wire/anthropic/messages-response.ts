import type { ChatResult, FinishReason, ReasoningBlock, TokenUsage } from '../../../model/index.ts';

/** The stop reasons this platform can report; `stop_sequence` is absent because no provider says so. */
export type AnthropicStopReason = 'end_turn' | 'max_tokens' | 'tool_use' | 'refusal';

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  /** The cache writes by lifetime. */
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

export type AnthropicContentBlock =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export interface AnthropicMessageObject {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicContentBlock[];
  stop_reason: AnthropicStopReason | null;
  stop_sequence: null;
  usage: AnthropicUsage;
}

/** `msg_…`, derived from our request id so one id finds the request, the usage row and the message. */
export function messageId(requestId: string): string {
  return `msg_${requestId.replace(/^req_/, '')}`;
}

/**
 * The internal finish reason as an Anthropic stop reason. A plain `stop` cannot be told apart
 * from a matched stop sequence, so it is `end_turn`. A `stop` that carries tool calls (OpenAI
 * says `stop` when a named tool is forced) is `tool_use`, which is what Anthropic clients loop on.
 */
export function toStopReason(finishReason: FinishReason, hasToolCalls: boolean): AnthropicStopReason {
  switch (finishReason) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    case 'stop':
      return hasToolCalls ? 'tool_use' : 'end_turn';
  }
}

/**
 * Anthropic's `input_tokens` leaves out the prompt tokens read from or written to its cache,
 * which it reports apart; our prompt count includes both.
 */
export function toAnthropicUsage(usage: TokenUsage): AnthropicUsage {
  const cacheWrite = usage.cacheWritePromptTokens ?? 0;
  const oneHour = Math.min(usage.cacheWriteOneHourPromptTokens ?? 0, cacheWrite);
  return {
    input_tokens: usage.promptTokens - usage.cachedPromptTokens - cacheWrite,
    output_tokens: usage.completionTokens,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: usage.cachedPromptTokens,
    cache_creation: { ephemeral_5m_input_tokens: cacheWrite - oneHour, ephemeral_1h_input_tokens: oneHour },
  };
}

/** A signature Anthropic can verify; another provider's (OpenAI's encrypted reasoning) is not one. */
function anthropicSignature(block: Extract<ReasoningBlock, { type: 'thinking' }>): string {
  return block.provider === undefined || block.provider === 'anthropic' ? (block.signature ?? '') : '';
}

/** Reasoning blocks as Anthropic's, signatures and redacted data exactly as the provider sent them. */
export function toThinkingBlocks(reasoning: readonly ReasoningBlock[]): AnthropicContentBlock[] {
  return reasoning.map((block) =>
    block.type === 'redacted'
      ? { type: 'redacted_thinking', data: block.data }
      : { type: 'thinking', thinking: block.text, signature: anthropicSignature(block) },
  );
}

/**
 * A tool call's JSON arguments as Anthropic's `input` object. Empty arguments mean no arguments.
 * Anything that is not a JSON object is kept as `{ "_raw": text }`: `{}` would let a tool run
 * with its defaults as if the model had asked for that, while the raw text fails the tool's own
 * validation visibly and shows what the model produced.
 */
export function toToolInput(argumentsText: string): Record<string, unknown> {
  if (argumentsText.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(argumentsText);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // Not JSON: kept raw below.
  }
  return { _raw: argumentsText };
}

/** The Anthropic `message` object for a finished call; `model` is the public id that served it. */
export function toAnthropicMessage(
  result: ChatResult,
  meta: { id: string; model: string; usage: TokenUsage },
): AnthropicMessageObject {
  const choice = result.choices[0];
  const content: AnthropicContentBlock[] = toThinkingBlocks(choice?.reasoning ?? []);
  if (choice?.content) content.push({ type: 'text', text: choice.content });
  for (const call of choice?.toolCalls ?? []) {
    content.push({ type: 'tool_use', id: call.id, name: call.name, input: toToolInput(call.arguments) });
  }
  return {
    id: meta.id,
    type: 'message',
    role: 'assistant',
    model: meta.model,
    content,
    stop_reason: choice ? toStopReason(choice.finishReason, choice.toolCalls.length > 0) : 'end_turn',
    stop_sequence: null,
    usage: toAnthropicUsage(meta.usage),
  };
}
