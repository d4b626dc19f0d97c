import type { z } from 'zod';
import type { CacheDirectives } from '../../cache/index.ts';
import type { ChatCall, ChatOutcome } from '../../gateway/index.ts';
import { groundChatRequest, type KnowledgeCitation } from '../../platform/knowledge/index.ts';
import {
  type ChatCompletionRequestBody,
  type convertChatRequest,
  toChatCompletion,
} from '../../platform/wire/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';
import type { RouteContext } from '../route-context.ts';
import type { chatCompletionSchema } from './chat-completion-schemas.ts';

export function completionId(requestId: string): string {
  return `chatcmpl-${requestId.replace(/^req_/, '')}`;
}

/** The `chat.completion` object, with `kimi.citations` when the request named knowledge bases. */
export type ChatCompletionObject = z.output<typeof chatCompletionSchema>;

/** A chat completion request as the route has it: who asks, the body and its gateway form. */
export interface ChatRouteCall {
  caller: AuthContext;
  requestId: string;
  startedAt: number;
  body: ChatCompletionRequestBody;
  converted: ReturnType<typeof convertChatRequest>;
  signal: AbortSignal;
}

/**
 * `kimi.knowledge_bases`: retrieves passages for the last user message and injects them into the
 * request before the gateway sees it (so the cache key covers them). Null citations: the body
 * named no knowledge base and the request is unchanged.
 */
export async function groundChat(
  context: RouteContext,
  call: ChatRouteCall,
): Promise<{ request: ReturnType<typeof convertChatRequest>; citations: KnowledgeCitation[] | null }> {
  if (!call.body.kimi) return { request: call.converted, citations: null };
  return groundChatRequest(
    context.knowledge.retrieval,
    call.caller,
    { requestId: call.requestId, startedAt: call.startedAt, signal: call.signal },
    call.converted,
    call.body.kimi,
  );
}

/**
 * One non-streaming chat completion through the gateway, as the OpenAI `chat.completion` object
 * (grounded in the knowledge bases `kimi.knowledge_bases` names, with their citations).
 * Throws a PlatformError; the gateway has metered the request by then either way.
 */
export async function completeChat(
  context: RouteContext,
  call: ChatRouteCall & {
    /** Routing hints, when the call came through startGatewayCall. */
    extra?: Pick<ChatCall, 'costPreference' | 'timeoutMs'>;
    /** The request's cache directives (the outcome says what the cache did). */
    cacheDirectives?: CacheDirectives;
  },
): Promise<{ completion: ChatCompletionObject; outcome: ChatOutcome }> {
  const grounded = await groundChat(context, call);
  const outcome = await context.chat.complete({
    context: call.caller,
    requestId: call.requestId,
    startedAt: call.startedAt,
    modelName: call.body.model,
    request: grounded.request,
    signal: call.signal,
    ...call.extra,
    ...(call.cacheDirectives ? { cacheDirectives: call.cacheDirectives } : {}),
  });
  const completion = toChatCompletion(outcome.result, {
    id: completionId(call.requestId),
    created: Math.floor(context.clock.now() / 1000),
    model: outcome.model.publicId,
    usage: outcome.usage,
  });
  return {
    completion: grounded.citations ? { ...completion, kimi: { citations: grounded.citations } } : completion,
    outcome,
  };
}

/** The first chunk of a grounded stream carries `kimi.citations`, before any text (clients keep unknown fields). */
export function withCitationsOnChunk(chunk: string, citations: readonly KnowledgeCitation[]): string {
  return `${chunk.slice(0, -1)},"kimi":${JSON.stringify({ citations })}}`;
}
