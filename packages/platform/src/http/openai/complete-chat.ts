import type { CacheDirectives } from '../../cache/index.ts';
import type { ChatCall, ChatOutcome } from '../../gateway/index.ts';
import {
  type ChatCompletionRequestBody,
  type convertChatRequest,
  toChatCompletion,
} from '../../platform/wire/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';
import type { RouteContext } from '../route-context.ts';

export function completionId(requestId: string): string {
  return `chatcmpl-${requestId.replace(/^req_/, '')}`;
}

/**
 * One non-streaming chat completion through the gateway, as the OpenAI `chat.completion` object.
 * Throws a PlatformError; the gateway has metered the request by then either way.
 */
export async function completeChat(
  context: RouteContext,
  call: {
    caller: AuthContext;
    requestId: string;
    startedAt: number;
    body: ChatCompletionRequestBody;
    converted: ReturnType<typeof convertChatRequest>;
    signal: AbortSignal;
    /** Routing hints, when the call came through startGatewayCall. */
    extra?: Pick<ChatCall, 'costPreference' | 'timeoutMs'>;
    /** The request's cache directives (the outcome says what the cache did). */
    cacheDirectives?: CacheDirectives;
  },
): Promise<{ completion: ReturnType<typeof toChatCompletion>; outcome: ChatOutcome }> {
  const outcome = await context.chat.complete({
    context: call.caller,
    requestId: call.requestId,
    startedAt: call.startedAt,
    modelName: call.body.model,
    request: call.converted,
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
  return { completion, outcome };
}
