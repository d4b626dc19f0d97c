import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { clientClosedStatus } from '../../gateway/index.ts';
import {
  convertMessagesRequest,
  messageId,
  messagesRequestSchema,
  toAnthropicErrorBody,
  toAnthropicMessage,
} from '../../platform/wire/index.ts';
import { toPlatformError } from '../error-handler.ts';
import { sendErrorBeforeStream, startGatewayCall } from '../gateway-call.ts';
import { parseWith } from '../parse-body.ts';
import type { RouteContext } from '../route-context.ts';
import { routeHeaders, setRouteHeaders } from '../routing-headers.ts';
import { servedHeaders, setServedHeaders } from '../served-headers.ts';
import { AnthropicEventWriter } from './anthropic-event-writer.ts';
import { anthropicPassthrough } from './anthropic-passthrough.ts';
import { anthropicModelRouteOptions } from './anthropic-route-options.ts';
import {
  anthropicHeadersSchema,
  anthropicMessageExample,
  anthropicMessageSchema,
  messagesStreamDescription,
} from './anthropic-schemas.ts';
import { MessageStreamEncoder } from './messages-stream.ts';

/**
 * POST /v1/messages: Anthropic-compatible, JSON or SSE, served by any chat model through the
 * gateway. Errors, including those of authentication, answer in Anthropic's shape.
 */
export function registerMessagesRoute(app: FastifyInstance, context: RouteContext): void {
  app.post(
    '/v1/messages',
    anthropicModelRouteOptions({
      operationId: 'createMessage',
      summary: 'Create a message (Anthropic-compatible)',
      description: [
        "Anthropic's Messages API, served by any chat model of the catalogue through the gateway;",
        'Anthropic models receive the body and the `anthropic-*` headers as sent. Errors are in',
        "Anthropic's shape; the routing and cache headers of chat completions apply.",
        messagesStreamDescription,
      ].join(' '),
      tag: 'Anthropic: messages',
      headers: anthropicHeadersSchema,
      body: messagesRequestSchema,
      bodyExample: {
        model: 'sim/fast',
        max_tokens: 256,
        messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
      },
      responses: {
        200: {
          description: 'The `message` object, or an SSE stream with `stream: true`.',
          schema: anthropicMessageSchema,
          alternativeContentTypes: ['text/event-stream'],
          example: anthropicMessageExample,
          headers: {
            'request-id': 'The request id, where Anthropic’s SDKs read it.',
            'x-kimi-model': 'The public id of the model that served the request.',
            'x-kimi-cost-usd': 'What the request cost, in USD.',
          },
        },
      },
      errors: [402, 404, 502, 504],
    }),
    async (request, reply) => {
      const body = parseWith(messagesRequestSchema, request.body);
      const call = startGatewayCall(request, reply, body.model, {
        ...convertMessagesRequest(body),
        passthrough: { anthropic: anthropicPassthrough(request) },
      });
      const { signal } = call;
      const id = messageId(request.id);

      if (!body.stream) {
        const outcome = await context.chat.complete(call);
        setServedHeaders(reply, outcome.servedAs);
        reply.header('x-kimi-model', outcome.model.publicId);
        reply.header('x-kimi-cost-usd', outcome.costUsd);
        setRouteHeaders(reply, outcome.route);
        const message: z.output<typeof anthropicMessageSchema> = toAnthropicMessage(outcome.result, {
          id,
          model: outcome.model.publicId,
          usage: outcome.usage,
        });
        return message;
      }

      const writer = new AnthropicEventWriter(reply.raw);
      const encoder = new MessageStreamEncoder(id);
      reply.hijack();
      try {
        const outcome = await context.chat.stream(call, {
          onStart(model, route, servedAs) {
            writer.open(200, {
              ...servedHeaders(servedAs),
              'x-request-id': request.id,
              'request-id': request.id,
              'x-kimi-model': model.publicId,
              ...routeHeaders(route),
            });
            writer.send(encoder.start(model.publicId));
          },
          onPart(part) {
            let pending: Promise<void> | undefined;
            for (const event of encoder.part(part)) pending = writer.send(event) ?? pending;
            return pending;
          },
        });
        // The gateway resolves after the usage record is committed, so the stream ends after it.
        for (const event of encoder.finish(outcome.usage)) writer.send(event);
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
            toAnthropicErrorBody(platformError, request.id),
            {
              'request-id': request.id,
            },
          );
        } else {
          // Mid-stream: Anthropic's `error` event, which its SDK raises as an APIError.
          if (platformError.status >= 500) request.log.error({ err: error }, 'stream failed');
          writer.send(toAnthropicErrorBody(platformError, request.id));
          writer.end();
        }
      }
      return reply;
    },
  );
}
