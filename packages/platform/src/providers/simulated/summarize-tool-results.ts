import type { ChatMessage, ToolMessage } from '../../model/index.ts';

const quoteLength = 60;

/**
 * The opening of a reply that follows tool results: it names each tool and quotes what it
 * returned, so a demo shows the loop closing and a test can see the result was read.
 */
export function summarizeToolResults(messages: readonly ChatMessage[], publicModelId: string): string {
  const results: ToolMessage[] = [];
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message = messages[index];
    if (message?.role !== 'tool') break;
    results.unshift(message);
  }
  const names = new Map<string, string>();
  for (const message of messages) {
    if (message.role !== 'assistant') continue;
    for (const call of message.toolCalls ?? []) names.set(call.id, call.name);
  }
  const quoted = results.map((result) => {
    const name = names.get(result.toolCallId) ?? 'a tool';
    return `${name} returned “${quote(result.content)}”`;
  });
  const noun = results.length === 1 ? 'result' : 'results';
  return `Simulated reply (${publicModelId}) based on ${results.length} tool ${noun}: ${quoted.join('; ')}.`;
}

function quote(content: string): string {
  const characters = [...content.replace(/\s+/g, ' ').trim()];
  return characters.length > quoteLength
    ? `${characters.slice(0, quoteLength).join('')}…`
    : characters.join('');
}
