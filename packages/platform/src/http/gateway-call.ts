import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readCacheDirectives } from '../cache/index.ts';
import type { PlatformError } from '../errors/index.ts';
import type { CachedChatCall, ChatCall } from '../gateway/index.ts';
import { callerOf } from './authentication.ts';
import { abortOnClientClose } from './request-abort.ts';
import { routingHints } from './routing-headers.ts';

/**
 * Hands a validated request to the gateway: from here on the gateway writes its usage record,
 * whatever happens, and a client that disconnects aborts the provider call.
 */
export function startGatewayCall(
  request: FastifyRequest,
  reply: FastifyReply,
  modelName: string,
  converted: ChatCall['request'],
): CachedChatCall {
  return { ...gatewayCallContext(request, reply), modelName, request: converted };
}

/**
 * Everything of a gateway call but the model and the internal request, for services that build
 * those themselves (the Responses API rebuilds a conversation first); the same contract applies.
 */
export function gatewayCallContext(
  request: FastifyRequest,
  reply: FastifyReply,
): Omit<CachedChatCall, 'modelName' | 'request'> {
  const hints = routingHints(request);
  const directives = readCacheDirectives(request.headers);
  return {
    context: callerOf(request),
    requestId: request.id,
    startedAt: request.startedAt,
    signal: abortOnClientClose(reply),
    ...hints,
    cacheDirectives: directives,
  };
}

/**
 * Answers a hijacked streaming request whose provider failed before the first byte with a plain
 * HTTP error (clients handle those best), in the ingress's own error shape.
 */
export function sendErrorBeforeStream(
  response: ServerResponse,
  requestId: string,
  error: PlatformError,
  body: object,
  extraHeaders: Record<string, string> = {},
): void {
  const headers: Record<string, string> = {
    ...error.headers,
    'content-type': 'application/json; charset=utf-8',
    'x-request-id': requestId,
    ...extraHeaders,
  };
  if (error.retryAfterMs !== undefined) headers['retry-after'] = String(Math.ceil(error.retryAfterMs / 1000));
  response.writeHead(error.status, headers);
  response.end(JSON.stringify(body));
}
