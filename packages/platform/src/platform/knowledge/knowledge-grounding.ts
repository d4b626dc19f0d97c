import { errors } from '../../errors/index.ts';
import type { ChatMessage, ChatRequest } from '../../model/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';
import type { KnowledgeExtension } from '../wire/index.ts';
import type { KnowledgeCall } from './knowledge-dependencies.ts';
import type { KnowledgeRetrieval, RetrievedPassage } from './knowledge-retrieval.ts';

/**
 * Grounding a chat request in knowledge bases: the `kimi` extension field of chat completions
 * and responses, the system message that carries the passages, and the citations returned.
 */

/** A passage as the answer cites it: `index` is the `[n]` the model was shown. */
export interface KnowledgeCitation extends RetrievedPassage {
  index: number;
}

/** How a passage is named in a prompt or a tool's output: `Title (external_id or document_id, chars start–end)`. */
export function passageSource(passage: RetrievedPassage): string {
  const title = passage.title.trim() === '' ? 'Untitled' : passage.title;
  return `${title} (${passage.external_id ?? passage.document_id}, chars ${passage.start}–${passage.end})`;
}

export function toCitations(passages: readonly RetrievedPassage[]): KnowledgeCitation[] {
  return passages.map((passage, position) => ({ index: position + 1, ...passage }));
}

/** The numbered passages as a model reads them: `[n] source` then the text. */
export function formatPassages(citations: readonly KnowledgeCitation[]): string {
  return citations
    .map((citation) => `[${citation.index}] ${passageSource(citation)}\n${citation.text}`)
    .join('\n\n');
}

/** The system message that carries the passages into the conversation. */
export function knowledgeSystemMessage(citations: readonly KnowledgeCitation[]): string {
  return [
    "Passages from the organization's knowledge bases, retrieved for the user's latest message.",
    'Use them to answer and cite each passage you rely on by its number, like [1]. If they do not contain the answer, say so rather than guess.',
    '',
    formatPassages(citations),
  ].join('\n');
}

/** The text of the conversation's last user message: what retrieval searches for. */
export function lastUserText(messages: readonly ChatMessage[]): string | null {
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message = messages[index]!;
    if (message.role !== 'user') continue;
    const text =
      typeof message.content === 'string'
        ? message.content
        : message.content
            .filter((part) => part.type === 'text')
            .map((part) => part.text)
            .join('\n');
    return text.trim() === '' ? null : text.slice(0, 4000);
  }
  return null;
}

/** The passages go after the caller's leading system messages, before the first turn of the conversation. */
function insertSystemMessage(messages: readonly ChatMessage[], content: string): ChatMessage[] {
  const position = messages.findIndex((message) => message.role !== 'system');
  const at = position === -1 ? messages.length : position;
  return [...messages.slice(0, at), { role: 'system', content }, ...messages.slice(at)];
}

/**
 * Retrieves passages for the last user message and returns the request with them injected, and
 * the citations to return beside the answer. The injection happens before the gateway sees the
 * request, so the cache key covers the passages like any other part of the prompt. No passage
 * found: the request is unchanged and the citations are empty. `param` names the extension field
 * (`kimi`) in errors.
 */
export async function groundChatRequest<Request extends Pick<ChatRequest, 'messages'>>(
  retrieval: KnowledgeRetrieval,
  caller: AuthContext,
  call: KnowledgeCall,
  request: Request,
  extension: KnowledgeExtension,
  param = 'kimi',
): Promise<{ request: Request; citations: KnowledgeCitation[] }> {
  const query = lastUserText(request.messages);
  if (query === null) {
    throw errors.invalidRequest(
      `${param}.knowledge_bases`,
      `'${param}.knowledge_bases' searches for the last user message, and the request has no user message with text.`,
      'Send the question as a user message with text.',
    );
  }
  const passages = await retrieval.retrieve(caller, call, {
    knowledgeBases: extension.knowledge_bases,
    query,
    topK: extension.knowledge_top_k,
    param: `${param}.knowledge_bases`,
  });
  const citations = toCitations(passages);
  if (citations.length === 0) return { request, citations };
  return {
    request: {
      ...request,
      messages: insertSystemMessage(request.messages, knowledgeSystemMessage(citations)),
    },
    citations,
  };
}
