import type { FastifyInstance } from 'fastify';
import { clientClosedStatus } from '../../gateway/index.ts';
import {
  type ChunkContext,
  chatCompletionRequestSchema,
  convertChatRequest,
  toChatCompletionChunks,
  toUsageChunk,
} from '../../platform/wire/index.ts';
import { toPlatformError } from '../error-handler.ts';
import { sendErrorBeforeStream, startGatewayCall } from '../gateway-call.ts';
import { parseWith } from '../parse-body.ts';
import type { RouteContext } from '../route-context.ts';
import { requires } from '../route-permission.ts';
import { routeHeaders, setRouteHeaders } from '../routing-headers.ts';
import { servedHeaders, setServedHeaders } from '../served-headers.ts';
import { ServerSentEventWriter } from '../server-sent-events.ts';
import {
  chatCompletionExample,
  chatCompletionRequestExample,
  chatCompletionSchema,
  chatCompletionStreamDescription,
  modelCallErrors,
  modelCallHeadersSchema,
  servedResponseHeaders,
} from './chat-completion-schemas.ts';
import { completeChat, completionId, groundChat, withCitationsOnChunk } from './complete-chat.ts';

/** POST /v1/chat/completions: OpenAI-compatible, JSON or SSE. */
export function registerChatCompletionsRoute(app: FastifyInstance, context: RouteContext): void {
  app.post(
    '/v1/chat/completions',
    requires('models:invoke', {
      operationId: 'createChatCompletion',
      summary: 'Create a chat completion (OpenAI-compatible)',
      description: [
        "OpenAI's Chat Completions API, served by any chat model of the catalogue through the gateway",
        '(routing, fallbacks, response cache, budgets and metering). Unknown fields are refused.',
        '`kimi.knowledge_bases` grounds the answer in knowledge bases; the passages come back as',
        '`kimi.citations`.',
      ].join(' '),
      tag: 'OpenAI: chat',
      headers: modelCallHeadersSchema,
      body: chatCompletionRequestSchema,
      bodyExample: chatCompletionRequestExample,
      responses: {
        200: {
          description: `The \`chat.completion\` object. ${chatCompletionStreamDescription}`,
          schema: chatCompletionSchema,
          alternativeContentTypes: ['text/event-stream'],
          example: chatCompletionExample,
          headers: servedResponseHeaders,
        },
      },
      errors: [...modelCallErrors],
    }),
    async (request, reply) => {
      const body = parseWith(chatCompletionRequestSchema, request.body);
      const call = startGatewayCall(request, reply, body.model, convertChatRequest(body));
      const { context: caller, startedAt, request: converted, signal } = call;
      const created = Math.floor(context.clock.now() / 1000);
      const routeCall = { caller, requestId: request.id, startedAt, body, converted, signal };

      if (!body.stream) {
        const { completion, outcome } = await completeChat(context, {
          ...routeCall,
          extra: {
            ...(call.costPreference ? { costPreference: call.costPreference } : {}),
            ...(call.timeoutMs ? { timeoutMs: call.timeoutMs } : {}),
          },
          ...(call.cacheDirectives ? { cacheDirectives: call.cacheDirectives } : {}),
        });
        setServedHeaders(reply, outcome.servedAs);
        reply.header('x-kimi-model', outcome.model.publicId);
        reply.header('x-kimi-cost-usd', outcome.costUsd);
        setRouteHeaders(reply, outcome.route);
        return completion;
      }

      const grounded = await groundChat(context, routeCall);
      call.request = grounded.request;
      let citations = grounded.citations;
      const includeUsage = body.stream_options?.include_usage === true;
      const writer = new ServerSentEventWriter(reply.raw);
      const chunkContext: ChunkContext = {
        id: completionId(request.id),
        created,
        model: body.model,
        includeUsage,
        openedChoices: new Set(),
      };
      reply.hijack();
      try {
        const outcome = await context.chat.stream(call, {
          onStart(model, route, servedAs) {
            chunkContext.model = model.publicId;
            writer.open(200, {
              ...servedHeaders(servedAs),
              'x-request-id': request.id,
              'x-kimi-model': model.publicId,
              ...routeHeaders(route),
            });
          },
          onPart(part) {
            let pending: Promise<void> | undefined;
            for (const chunk of toChatCompletionChunks(chunkContext, part)) {
              pending = writer.send(citations ? withCitationsOnChunk(chunk, citations) : chunk) ?? pending;
              citations = null;
            }
            return pending;
          },
        });
        if (includeUsage) writer.send(JSON.stringify(toUsageChunk(chunkContext, outcome.usage)));
        writer.send('[DONE]');
        writer.end();
      } catch (error) {
        const platformError = toPlatformError(error, context.config.server.body_limit_bytes);
        if (signal.aborted) {
          request.log.info({ status: clientClosedStatus }, 'client closed the stream');
          writer.end();
        } else if (!reply.raw.headersSent) {
          // Nothing was streamed yet: answer with a plain HTTP error, which clients handle best.
          sendErrorBeforeStream(
            reply.raw,
            request.id,
            platformError,
            platformError.toResponseBody(request.id),
          );
        } else {
          // Mid-stream: a well-formed error event, which the openai SDK raises as an APIError.
          if (platformError.status >= 500) request.log.error({ err: error }, 'stream failed');
          writer.send(JSON.stringify(platformError.toResponseBody(request.id)));
          writer.end();
        }
      }
      return reply;
    },
  );
}
