import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { errors } from '../../../errors/index.ts';
import { responseCreateRequestSchema } from '../../../platform/index.ts';
import { callerOf } from '../../authentication.ts';
import { gatewayCallContext } from '../../gateway-call.ts';
import { parseWith } from '../../parse-body.ts';
import type { RouteContext } from '../../route-context.ts';
import { requires } from '../../route-permission.ts';
import { setRouteHeaders } from '../../routing-headers.ts';
import { setServedHeaders } from '../../served-headers.ts';
import { cursorListSchema } from '../batch-file-schemas.ts';
import {
  modelCallErrors,
  modelCallHeadersSchema,
  servedResponseHeaders,
} from '../chat-completion-schemas.ts';
import { streamBackgroundResponse } from './follow-response.ts';
import {
  deletedResponseSchema,
  responseEventsDescription,
  responseObjectExample,
  responseObjectSchema,
  storedInputItemExample,
  storedInputItemSchema,
} from './response-schemas.ts';
import { registerResponsesWebsocket } from './responses-websocket.ts';
import { streamResponse } from './stream-response.ts';

const responseParamsSchema = z.strictObject({ responseId: z.string().min(1).max(128) });

const retrieveQuerySchema = z.strictObject({
  stream: z
    .enum(['true', 'false'])
    .optional()
    .describe('`true`: the events of a background response as SSE, stored ones first, then live ones.'),
  starting_after: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe('With `stream=true`: resume after the event of this `sequence_number`.'),
  include: z.union([z.string(), z.array(z.string())]).optional(),
  include_obfuscation: z.enum(['true', 'false']).optional(),
});

const inputItemsQuerySchema = z.strictObject({
  after: z.string().min(1).optional(),
  before: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  order: z.enum(['asc', 'desc']).default('desc'),
  include: z.union([z.string(), z.array(z.string())]).optional(),
});

const tag = 'OpenAI: responses';
const inputItemListSchema = cursorListSchema(storedInputItemSchema, 'ResponseInputItemList');
type ResponseOutput = Promise<z.output<typeof responseObjectSchema>>;

/**
 * OpenAI's Responses API: `POST /v1/responses` (JSON or SSE, or queued with `background`) through
 * the same gateway call as chat completions, the stored responses of the caller's organisation
 * (resumable streams and cancelling of background ones), and WebSocket mode on `/v1/responses`.
 */
export function registerResponsesRoutes(app: FastifyInstance, context: RouteContext): void {
  registerResponsesWebsocket(app, context);

  app.post(
    '/v1/responses',
    requires('models:invoke', {
      operationId: 'createResponse',
      summary: 'Create a response (OpenAI-compatible)',
      description: [
        "OpenAI's Responses API over the same gateway call as chat completions. Stored (unless",
        '`store: false`) for `previous_response_id`, `conversation` and `input_items`.',
        '`background: true` queues it and answers at once with the `queued` response (poll it, or',
        `stream it with \`stream: true\`). With \`stream: true\`: ${responseEventsDescription}`,
        'A failure before the first event is a plain JSON error.',
      ].join(' '),
      tag,
      headers: modelCallHeadersSchema,
      body: responseCreateRequestSchema,
      bodyExample: {
        model: 'sim/fast',
        input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hello' }] }],
        instructions: 'You are terse.',
      },
      responses: {
        200: {
          description: 'The response (`queued` when `background`), or an SSE stream with `stream: true`.',
          schema: responseObjectSchema,
          alternativeContentTypes: ['text/event-stream'],
          example: responseObjectExample,
          headers: servedResponseHeaders,
        },
      },
      errors: [...modelCallErrors],
    }),
    async (request, reply) => {
      const body = parseWith(responseCreateRequestSchema, request.body);
      const call = { ...gatewayCallContext(request, reply), body };
      if (body.background) {
        const response = await context.responses.createBackground(call);
        if (body.stream) return streamBackgroundResponse(context, request, reply, response.id, -1);
        return response;
      }
      if (body.stream) return streamResponse(context, request, reply, call);
      const { response, outcome } = await context.responses.create(call);
      setServedHeaders(reply, outcome.servedAs);
      reply.header('x-kimi-model', outcome.model.publicId);
      reply.header('x-kimi-cost-usd', outcome.costUsd);
      setRouteHeaders(reply, outcome.route);
      return response;
    },
  );

  app.get(
    '/v1/responses/:responseId',
    requires('models:read', {
      operationId: 'getResponse',
      summary: 'Get a stored response',
      description: `With \`stream=true\` (background responses only): ${responseEventsDescription}`,
      tag,
      params: responseParamsSchema,
      query: retrieveQuerySchema,
      responses: {
        200: {
          description: 'The response, or its events as SSE with `stream=true`.',
          schema: responseObjectSchema,
          example: responseObjectExample,
        },
      },
      errors: [404],
    }),
    async (request, reply) => {
      const { responseId } = parseWith(responseParamsSchema, request.params);
      const query = parseWith(retrieveQuerySchema, request.query);
      const caller = callerOf(request);
      if (query.stream !== 'true') return context.responses.retrieve(caller, responseId);
      // why check first: a missing or non-background response is a plain HTTP error, not an empty stream.
      const response = await context.responses.retrieve(caller, responseId);
      if (!response.background) {
        throw errors.invalidRequest(
          'stream',
          'Only responses created with background set to true can be streamed again.',
          'Retrieve the response without stream, or create it with background: true.',
        );
      }
      return streamBackgroundResponse(context, request, reply, responseId, query.starting_after ?? -1);
    },
  );

  app.post(
    '/v1/responses/:responseId/cancel',
    requires('models:invoke', {
      operationId: 'cancelResponse',
      summary: 'Cancel a background response',
      description: 'Only a background response can be cancelled; a finished one is returned unchanged.',
      tag,
      params: responseParamsSchema,
      responses: {
        200: {
          description: 'The response, `cancelled` (or as it ended).',
          schema: responseObjectSchema,
          example: {
            ...responseObjectExample,
            status: 'cancelled',
            background: true,
            completed_at: null,
            output: [],
            output_text: '',
            usage: null,
          },
        },
      },
      // why 413 and 415: a body sent to this body-less POST is still read and checked.
      errors: [404, 413, 415],
    }),
    async (request): ResponseOutput => {
      const { responseId } = parseWith(responseParamsSchema, request.params);
      return context.responses.cancel(callerOf(request), responseId);
    },
  );

  app.delete(
    '/v1/responses/:responseId',
    requires('models:invoke', {
      operationId: 'deleteResponse',
      summary: 'Delete a stored response',
      tag,
      params: responseParamsSchema,
      responses: {
        200: {
          description: 'The response is deleted.',
          schema: deletedResponseSchema,
          example: { id: responseObjectExample.id, object: 'response', deleted: true },
        },
      },
      errors: [404],
    }),
    async (request): Promise<z.output<typeof deletedResponseSchema>> => {
      const { responseId } = parseWith(responseParamsSchema, request.params);
      return context.responses.remove(callerOf(request), responseId);
    },
  );

  app.get(
    '/v1/responses/:responseId/input_items',
    requires('models:read', {
      operationId: 'listResponseInputItems',
      summary: "List a stored response's input items",
      tag,
      params: responseParamsSchema,
      query: inputItemsQuerySchema,
      responses: {
        200: {
          description: 'A page of input items, newest first unless `order=asc`.',
          schema: inputItemListSchema,
          example: {
            object: 'list',
            data: [storedInputItemExample],
            first_id: storedInputItemExample.id,
            last_id: storedInputItemExample.id,
            has_more: false,
          },
        },
      },
      errors: [404],
    }),
    async (request): Promise<z.output<typeof inputItemListSchema>> => {
      const { responseId } = parseWith(responseParamsSchema, request.params);
      const query = parseWith(inputItemsQuerySchema, request.query);
      return context.responses.listInputItems(callerOf(request), responseId, {
        limit: query.limit,
        order: query.order,
        ...(query.after === undefined ? {} : { after: query.after }),
        ...(query.before === undefined ? {} : { before: query.before }),
      });
    },
  );
}
