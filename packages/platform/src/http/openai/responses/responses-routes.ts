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
import { streamBackgroundResponse } from './follow-response.ts';
import { registerResponsesWebsocket } from './responses-websocket.ts';
import { streamResponse } from './stream-response.ts';

const responseParamsSchema = z.strictObject({ responseId: z.string().min(1).max(128) });

const retrieveQuerySchema = z.strictObject({
  stream: z.enum(['true', 'false']).optional(),
  starting_after: z.coerce.number().int().min(0).optional(),
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

/**
 * OpenAI's Responses API: `POST /v1/responses` (JSON or SSE, or queued with `background`) through
 * the same gateway call as chat completions, the stored responses of the caller's organisation
 * (resumable streams and cancelling of background ones), and WebSocket mode on `/v1/responses`.
 */
export function registerResponsesRoutes(app: FastifyInstance, context: RouteContext): void {
  registerResponsesWebsocket(app, context);

  app.post('/v1/responses', requires('models:invoke'), async (request, reply) => {
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
  });

  app.get('/v1/responses/:responseId', requires('models:read'), async (request, reply) => {
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
  });

  app.post('/v1/responses/:responseId/cancel', requires('models:invoke'), async (request) => {
    const { responseId } = parseWith(responseParamsSchema, request.params);
    return context.responses.cancel(callerOf(request), responseId);
  });

  app.delete('/v1/responses/:responseId', requires('models:invoke'), async (request) => {
    const { responseId } = parseWith(responseParamsSchema, request.params);
    return context.responses.remove(callerOf(request), responseId);
  });

  app.get('/v1/responses/:responseId/input_items', requires('models:read'), async (request) => {
    const { responseId } = parseWith(responseParamsSchema, request.params);
    const query = parseWith(inputItemsQuerySchema, request.query);
    return context.responses.listInputItems(callerOf(request), responseId, {
      limit: query.limit,
      order: query.order,
      ...(query.after === undefined ? {} : { after: query.after }),
      ...(query.before === undefined ? {} : { before: query.before }),
    });
  });
}
