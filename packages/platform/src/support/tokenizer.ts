import type { ChatMessage } from '../model/index.ts';
import { createTokenCountMemo } from './token-count-memo.ts';

/** Counts tokens the way OpenAI's o200k_base encoding does; used where a provider reports none. */
export interface Tokenizer {
  countText(text: string): number;
  /** Prompt tokens of a chat, with OpenAI's per-message framing overhead. */
  countChatPrompt(messages: readonly ChatMessage[], toolsJson?: string): number;
}

const tokensPerMessage = 3;
const tokensPerReplyPriming = 3;

function messageText(message: ChatMessage): string {
  switch (message.role) {
    case 'system':
      return message.content;
    case 'tool':
      return message.content;
    case 'assistant': {
      const calls = (message.toolCalls ?? []).map((call) => `${call.name}${call.arguments}`).join('');
      return `${message.content ?? ''}${calls}`;
    }
    case 'user':
      return typeof message.content === 'string'
        ? message.content
        : message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
  }
}

/** Imagery is not tokenised from its URL; OpenAI bills a low-detail image as 85 tokens. */
function imageTokens(message: ChatMessage): number {
  if (message.role !== 'user' || typeof message.content === 'string') return 0;
  return message.content.filter((part) => part.type === 'image').length * 85;
}

/**
 * Creates a tokenizer with its own count memo. The encoding module loads once per process (about
 * 200 ms, then Node's module cache); compose one tokenizer per platform and inject it.
 */
export function loadTokenizer(): Promise<Tokenizer> {
  return import('gpt-tokenizer/encoding/o200k_base').then(({ countTokens }) => {
    // why: about 0.1 ms per kilobyte of prompt on every admitted request; system prompts, tool
    // lists and shared contexts repeat across requests, so their counts are remembered (≤ 4 M chars).
    const memo = createTokenCountMemo(countTokens, { minimumLength: 256, maximumCharacters: 4_000_000 });
    const countText = (text: string): number => (text.length === 0 ? 0 : memo.count(text));
    return {
      countText,
      countChatPrompt(messages, toolsJson) {
        let total = tokensPerReplyPriming;
        for (const message of messages) {
          total += tokensPerMessage + countText(messageText(message)) + imageTokens(message);
        }
        if (toolsJson) total += countText(toolsJson);
        return total;
      },
    };
  });
}
