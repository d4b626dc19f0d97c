import type { ChatMessage, ContentPart } from '../../model/index.ts';
import type { OpenAIContentPart, OpenAIMessage } from './openai-compatible-api.ts';

/** Converts our chat messages to OpenAI Chat Completions messages, one for one. */
export function convertToOpenAICompatibleMessages(messages: readonly ChatMessage[]): OpenAIMessage[] {
  return messages.map(convertMessage);
}

function convertMessage(message: ChatMessage): OpenAIMessage {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user':
      return {
        role: 'user',
        content: typeof message.content === 'string' ? message.content : message.content.map(convertPart),
        ...(message.name === undefined ? {} : { name: message.name }),
      };
    case 'assistant': {
      const toolCalls = message.toolCalls ?? [];
      return {
        role: 'assistant',
        // Why: OpenAI accepts a null content only beside tool calls.
        content: message.content ?? (toolCalls.length > 0 ? null : ''),
        ...(toolCalls.length > 0
          ? {
              tool_calls: toolCalls.map((call) => ({
                id: call.id,
                type: 'function' as const,
                function: { name: call.name, arguments: call.arguments },
              })),
            }
          : {}),
        ...(message.name === undefined ? {} : { name: message.name }),
      };
    }
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  }
}

function convertPart(part: ContentPart): OpenAIContentPart {
  if (part.type === 'text') return { type: 'text', text: part.text };
  return {
    type: 'image_url',
    image_url: { url: part.url, ...(part.detail === undefined ? {} : { detail: part.detail }) },
  };
}
