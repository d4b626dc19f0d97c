import type { ReasoningBlock } from '../../model/index.ts';
import { newItemId } from './response-identifiers.ts';
import type { ReasoningItem } from './response-object.ts';
import type { ResponseInputItem } from './response-request.ts';

/**
 * A reasoning block as a Responses `reasoning` item and back. The readable thinking is the item's
 * summary; the block itself (with Anthropic's signature, or its redacted data) travels in
 * `encrypted_content` as `kimi.reasoning.v1.<base64url JSON>`, so a client that sends its items
 * back (the Agents SDK, the AI SDK with `store: false`) returns exactly what the provider must
 * verify. Content of any other form (OpenAI's own encrypted reasoning) is not ours to read.
 */
const contentPrefix = 'kimi.reasoning.v1.';

type InputReasoningItem = Extract<ResponseInputItem, { type: 'reasoning' }>;

export function reasoningItemOf(
  block: ReasoningBlock,
  status: ReasoningItem['status'] = 'completed',
): ReasoningItem {
  return {
    id: newItemId('rs'),
    type: 'reasoning',
    summary:
      block.type === 'thinking' && block.text !== '' ? [{ type: 'summary_text', text: block.text }] : [],
    encrypted_content: encryptedContentOf(block),
    status,
  };
}

/** The opaque form of a block; null for unsigned thinking, which the summary carries whole. */
export function encryptedContentOf(block: ReasoningBlock): string | null {
  if (block.type === 'thinking' && !block.signature) return null;
  return contentPrefix + Buffer.from(JSON.stringify(block), 'utf8').toString('base64url');
}

function decode(content: string): ReasoningBlock | undefined {
  if (!content.startsWith(contentPrefix)) return undefined;
  try {
    const value = JSON.parse(
      Buffer.from(content.slice(contentPrefix.length), 'base64url').toString('utf8'),
    ) as Partial<Record<'type' | 'text' | 'signature' | 'data' | 'provider' | 'itemId', unknown>> | null;
    if (value?.type === 'redacted' && typeof value.data === 'string')
      return { type: 'redacted', data: value.data };
    if (value?.type === 'thinking' && typeof value.text === 'string' && typeof value.signature === 'string') {
      return {
        type: 'thinking',
        text: value.text,
        signature: value.signature,
        ...(typeof value.provider === 'string' ? { provider: value.provider } : {}),
        ...(typeof value.itemId === 'string' ? { itemId: value.itemId } : {}),
      };
    }
  } catch {
    // Not ours after all: read as unsigned text below.
  }
  return undefined;
}

/** The block a reasoning item stands for: its own content when it has ours, else its text unsigned. */
export function reasoningBlockOf(item: InputReasoningItem | ReasoningItem): ReasoningBlock | undefined {
  const decoded = item.encrypted_content ? decode(item.encrypted_content) : undefined;
  if (decoded) return decoded;
  const readable = 'content' in item && item.content ? item.content : item.summary;
  const text = readable.map((part) => part.text).join('');
  return text === '' ? undefined : { type: 'thinking', text };
}
