import { errors } from '../../errors/index.ts';
import type { AssistantMessage, ChatMessage, UserMessage } from '../../model/index.ts';
import type {
  AnthropicAssistantContentBlock,
  AnthropicMessageParam,
  AnthropicTextBlock,
  AnthropicUserContentBlock,
} from './anthropic-api.ts';
import { convertImageUrl } from './convert-image-url.ts';

export interface AnthropicPrompt {
  /** Every system message, in order: one string, or text blocks when there are several. */
  system: string | AnthropicTextBlock[] | undefined;
  /** Alternating user and assistant turns. */
  messages: AnthropicMessageParam[];
}

type Turn =
  | { role: 'user'; content: AnthropicUserContentBlock[] }
  | { role: 'assistant'; content: AnthropicAssistantContentBlock[] };

/**
 * Converts our messages to Anthropic's: system messages are hoisted to the top-level `system`,
 * tool messages become `tool_result` blocks in a user turn, and consecutive turns of one role are
 * merged because Anthropic requires user and assistant turns to alternate.
 */
export function convertToAnthropicMessages(messages: readonly ChatMessage[]): AnthropicPrompt {
  const systemTexts: string[] = [];
  const turns: Turn[] = [];
  messages.forEach((message, index) => {
    switch (message.role) {
      case 'system':
        systemTexts.push(message.content);
        return;
      case 'user':
        appendTurn(turns, { role: 'user', content: convertUserContent(message, index) });
        return;
      case 'assistant': {
        const content = convertAssistantContent(message, index);
        // Why: Anthropic rejects empty turns, and an assistant message with neither text nor tool
        // calls says nothing the model needs.
        if (content.length > 0) appendTurn(turns, { role: 'assistant', content });
        return;
      }
      case 'tool':
        appendTurn(turns, {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: message.toolCallId, content: message.content }],
        });
        return;
    }
  });
  return { system: convertSystem(systemTexts), messages: turns.map(toMessageParam) };
}

function convertSystem(texts: string[]): AnthropicPrompt['system'] {
  if (texts.length === 0) return undefined;
  if (texts.length === 1) return texts[0];
  return texts.map((text) => ({ type: 'text', text }));
}

function appendTurn(turns: Turn[], turn: Turn): void {
  const last = turns[turns.length - 1];
  if (last?.role === 'user' && turn.role === 'user') last.content.push(...turn.content);
  else if (last?.role === 'assistant' && turn.role === 'assistant') last.content.push(...turn.content);
  else turns.push(turn);
}

function toMessageParam(turn: Turn): AnthropicMessageParam {
  if (turn.role === 'assistant') return turn;
  // Why: Anthropic requires a turn's tool_result blocks to come before any other content in it.
  const toolResults = turn.content.filter((block) => block.type === 'tool_result');
  const others = turn.content.filter((block) => block.type !== 'tool_result');
  return { role: 'user', content: [...toolResults, ...others] };
}

function convertUserContent(message: UserMessage, index: number): AnthropicUserContentBlock[] {
  if (typeof message.content === 'string') return [{ type: 'text', text: message.content }];
  return message.content.map((part, partIndex) =>
    part.type === 'text'
      ? { type: 'text', text: part.text }
      : {
          type: 'image',
          source: convertImageUrl(part.url, `messages[${index}].content[${partIndex}].image_url`),
        },
  );
}

function convertAssistantContent(message: AssistantMessage, index: number): AnthropicAssistantContentBlock[] {
  const blocks: AnthropicAssistantContentBlock[] = [];
  // Why: only signed thinking verifies at Anthropic; unsigned reasoning came from another provider.
  for (const block of message.reasoning ?? []) {
    if (block.type === 'redacted') blocks.push({ type: 'redacted_thinking', data: block.data });
    else if (block.signature && (block.provider === undefined || block.provider === 'anthropic')) {
      blocks.push({ type: 'thinking', thinking: block.text, signature: block.signature });
    }
  }
  if (message.content) blocks.push({ type: 'text', text: message.content });
  for (const call of message.toolCalls ?? []) {
    blocks.push({
      type: 'tool_use',
      id: call.id,
      name: call.name,
      input: parseArguments(call.arguments, index),
    });
  }
  return blocks;
}

function parseArguments(text: string, index: number): Record<string, unknown> {
  const param = `messages[${index}].tool_calls`;
  // Why: clients send '' for a tool that takes no arguments; Anthropic's `input` must be an object.
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw errors.invalidRequest(param, `The tool call arguments at '${param}' are not valid JSON.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw errors.invalidRequest(param, `The tool call arguments at '${param}' must be a JSON object.`);
  }
  return parsed as Record<string, unknown>;
}
