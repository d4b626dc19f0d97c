import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../model/index.ts';
import { loadTokenizer } from '../../support/index.ts';
import { truncateConversation } from './truncate-conversation.ts';

const tokenizer = await loadTokenizer();
const long = (label: string) => `${label} ${'word '.repeat(200)}`;

describe('truncation: auto', () => {
  const messages: ChatMessage[] = [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: long('first') },
    { role: 'assistant', content: null, toolCalls: [{ id: 'call_1', name: 'look', arguments: '{}' }] },
    { role: 'tool', toolCallId: 'call_1', content: long('result') },
    { role: 'user', content: 'The last question.' },
  ];

  it('leaves a conversation that fits as it is', () => {
    const request = { messages };
    expect(truncateConversation(request, 100_000, tokenizer)).toBe(request);
  });

  it('drops the oldest turns, keeps the system message, and never leaves an orphaned tool result', () => {
    const partly = truncateConversation({ messages }, 300, tokenizer);
    expect(partly.messages.map((message) => message.role)).toEqual(['system', 'assistant', 'tool', 'user']);
    // Dropping the call drops its result with it.
    const truncated = truncateConversation({ messages, maxTokens: 50 }, 150, tokenizer);
    expect(truncated.messages).toEqual([messages[0], messages[4]]);
  });

  it('keeps the last message even when it alone is too long (the provider then refuses it)', () => {
    const truncated = truncateConversation({ messages }, 10, tokenizer);
    expect(truncated.messages).toEqual([messages[0], messages[4]]);
  });
});
