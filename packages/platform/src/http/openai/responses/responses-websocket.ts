import type { FastifyInstance } from 'fastify';
import { readCacheDirectives } from '../../../cache/index.ts';
import { errors } from '../../../errors/index.ts';
import { type ResponseCall, responseCreateRequestSchema } from '../../../platform/index.ts';
import { callerOf } from '../../authentication.ts';
import { toPlatformError } from '../../error-handler.ts';
import { parseWith } from '../../parse-body.ts';
import type { RouteContext } from '../../route-context.ts';
import { requires } from '../../route-permission.ts';
import { routingHints } from '../../routing-headers.ts';

/** A client message: `{ "type": "response.create", ...the body of POST /v1/responses }`. */
function parseMessage(text: string): ResponseCall['body'] {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch (error) {
    throw errors.invalidJson((error as Error).message);
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    throw errors.invalidRequest('type', "Send a JSON object with type 'response.create'.");
  }
  const { type, ...body } = message as Record<string, unknown>;
  if (type !== 'response.create') {
    throw errors.invalidRequest(
      'type',
      `Unknown message type ${JSON.stringify(type ?? null)}; the client sends 'response.create'.`,
    );
  }
  if (body.background === true) {
    throw errors.invalidRequest(
      'background',
      'Background responses are not supported over WebSocket.',
      'Create it with POST /v1/responses, or omit background.',
    );
  }
  // why: every response over the socket streams; `stream` is implicit and ignored when sent.
  return parseWith(responseCreateRequestSchema, { ...body, stream: true, background: undefined });
}

/**
 * WebSocket mode (`GET /v1/responses` upgraded, as Codex and the Agents SDK use it): each
 * `response.create` message runs one response, its semantic events sent one JSON message each
 * (the same events as SSE); the next message waits for the one before to finish. A bad message
 * is answered with an `error` event naming the field, and the socket stays open. The key is
 * checked at the upgrade like any route; admission, budgets and metering apply per response.
 */
export function registerResponsesWebsocket(app: FastifyInstance, context: RouteContext): void {
  app.get(
    '/v1/responses',
    {
      websocket: true,
      ...requires('models:invoke', {
        operationId: 'connectResponsesWebSocket',
        summary: 'Responses over a WebSocket (WebSocket mode)',
        description: [
          'Upgrade `GET /v1/responses` to a WebSocket, as Codex and the Agents SDK do. Each client message',
          'is `{ "type": "response.create", ...the body of POST /v1/responses }` (without `background`;',
          '`stream` is implied) and runs one response; its events are sent one JSON message each, the same',
          'events as the SSE stream. Messages run one after another. A bad message is answered with',
          '`{ "type": "error", "status", "error" }` and the socket stays open. The key is checked at the',
          'upgrade; admission, budgets and metering apply per response.',
        ].join(' '),
        tag: 'OpenAI: responses',
        websocket: true,
        responses: {},
        // why: a plain GET (no upgrade) is answered 426 UPGRADE_REQUIRED.
        errors: [426],
      }),
    },
    (socket, request) => {
      const caller = callerOf(request);
      const closed = new AbortController();
      let queue: Promise<void> = Promise.resolve();
      let responses = 0;
      const send = (message: object) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
      };
      const sendError = (error: unknown, requestId: string) => {
        const platformError = toPlatformError(error, context.config.server.body_limit_bytes);
        if (platformError.status >= 500) request.log.error({ err: error }, 'websocket response failed');
        send({
          type: 'error',
          status: platformError.status,
          error: platformError.toResponseBody(requestId).error,
        });
      };

      async function handle(text: string): Promise<void> {
        const requestId = `${request.id}_${++responses}`;
        let call: ResponseCall;
        try {
          call = {
            context: caller,
            requestId,
            startedAt: performance.now(),
            signal: closed.signal,
            ...routingHints(request),
            cacheDirectives: readCacheDirectives(request.headers),
            body: parseMessage(text),
          };
        } catch (error) {
          sendError(error, requestId);
          return;
        }
        try {
          await context.responses.stream(call, { onStart() {}, onEvent: (event) => send(event) });
        } catch (error) {
          if (!closed.signal.aborted) sendError(error, requestId);
        }
      }

      socket.on('message', (raw: Buffer) => {
        const text = raw.toString();
        queue = queue
          .then(() => handle(text))
          .catch((error) => request.log.error({ err: error }, 'websocket message failed'));
      });
      socket.on('close', () => closed.abort(new Error('client closed the socket')));
    },
  );
}
