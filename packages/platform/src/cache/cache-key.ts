import { createHash } from 'node:crypto';
import type { ChatMessage, ChatRequest } from '../model/index.ts';
import { canonicalJson } from '../support/index.ts';

export { canonicalJson };

/** Bumped whenever the normalisation changes, so old entries are never read with a new meaning. */
const keyVersion = 'v1';

export type CacheableRequest = Omit<ChatRequest, 'model'>;

/** What identifies an answer: who asks, which model group answers, and the request itself. */
export interface CacheKeyInput {
  organizationId: string;
  /** The model group the request resolved to (aliases and `auto` already resolved). */
  group: string;
  request: CacheableRequest;
}

/** Text-only content in parts means the same as the joined string: one form for both. */
function normalizeMessage(message: ChatMessage): unknown {
  if (message.role !== 'user' || typeof message.content === 'string') return message;
  const allText = message.content.every((part) => part.type === 'text');
  if (!allText) return message;
  return {
    ...message,
    content: message.content.map((part) => (part.type === 'text' ? part.text : '')).join(''),
  };
}

/** Body fields of no consequence to the answer: how it is delivered, and who is attributed. */
const unansweredFields = new Set(['model', 'stream', 'metadata']);

/** The conversation itself: the semantic scope compares it by meaning, not by its bytes. */
const conversationFields = new Set(['messages', 'system']);

/**
 * What Anthropic models receive beyond the internal request (thinking, `top_k`, betas, fields we
 * do not model), so answers given under other such settings are never shared.
 */
function anthropicParameters(request: CacheableRequest, kind: 'exact' | 'semantic'): unknown {
  const passthrough = request.passthrough?.anthropic;
  if (passthrough === undefined) return undefined;
  const body = Object.entries(passthrough.body ?? {}).filter(
    ([field]) => !unansweredFields.has(field) && (kind === 'exact' || !conversationFields.has(field)),
  );
  return { beta: passthrough.headers['anthropic-beta'], body: Object.fromEntries(body) };
}

/** The Responses-only fields that change the answer where a provider reads them natively. */
const answeringResponsesFields = ['text', 'reasoning', 'truncation'] as const;

function openAIResponsesParameters(request: CacheableRequest): unknown {
  const fields = request.passthrough?.openaiResponses?.fields;
  if (fields === undefined) return undefined;
  const kept = answeringResponsesFields.filter((field) => fields[field] !== undefined);
  return kept.length === 0 ? undefined : Object.fromEntries(kept.map((field) => [field, fields[field]]));
}

/** Every request field that can change the answer; `user` (attribution only) is left out. */
function outputParameters(request: CacheableRequest, kind: 'exact' | 'semantic') {
  return {
    anthropic: anthropicParameters(request, kind),
    openaiResponses: openAIResponsesParameters(request),
    tools: request.tools,
    toolChoice: request.toolChoice,
    parallelToolCalls: request.parallelToolCalls,
    responseFormat: request.responseFormat,
    reasoning: request.reasoning,
    temperature: request.temperature,
    topP: request.topP,
    maxTokens: request.maxTokens,
    stop: request.stop,
    seed: request.seed,
    n: request.n,
    presencePenalty: request.presencePenalty,
    frequencyPenalty: request.frequencyPenalty,
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The exact-cache key: a hash of the normalised request, never the raw body. */
export function exactCacheKey(input: CacheKeyInput): string {
  return sha256(
    canonicalJson({
      version: keyVersion,
      organizationId: input.organizationId,
      group: input.group,
      messages: input.request.messages.map(normalizeMessage),
      parameters: outputParameters(input.request, 'exact'),
    }),
  );
}

/**
 * The semantic-cache scope: organisation, model group, system prompt, tool set and parameters.
 * Only answers within one scope are compared, so a similar question never borrows an answer
 * given under other instructions, tools or settings.
 */
export function semanticScope(input: CacheKeyInput): string {
  return sha256(
    canonicalJson({
      version: keyVersion,
      kind: 'semantic',
      organizationId: input.organizationId,
      group: input.group,
      system: input.request.messages.filter((message) => message.role === 'system').map((m) => m.content),
      parameters: outputParameters(input.request, 'semantic'),
    }),
  );
}

/** The conversation as the text to embed: every non-system turn, with its role. */
export function conversationText(request: CacheableRequest): string {
  const lines: string[] = [];
  for (const message of request.messages) {
    if (message.role === 'system') continue;
    const normalized = normalizeMessage(message) as ChatMessage;
    let text: string;
    if (typeof normalized.content === 'string') text = normalized.content;
    else if (normalized.content === null) text = '';
    else
      text = normalized.content
        .map((part) => (part.type === 'text' ? part.text : `[image ${part.url}]`))
        .join(' ');
    if (normalized.role === 'assistant') {
      for (const call of normalized.toolCalls ?? []) text += ` [tool ${call.name} ${call.arguments}]`;
    }
    lines.push(`${normalized.role}: ${text}`);
  }
  return lines.join('\n');
}
