import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { responseCreateRequestSchema } from '../../../platform/index.ts';
import { callerOf } from '../../authentication.ts';
import { gatewayCallContext } from '../../gateway-call.ts';
import { parseWith } from '../../parse-body.ts';
import type { RouteContext } from '../../route-context.ts';
import { requires } from '../../route-permission.ts';
import { setRouteHeaders } from '../../routing-headers.ts';
import { setServedHeaders } from '../../served-headers.ts';
import { streamResponse } from './stream-response.ts';

const responseParamsSchema = z.strictObject({ responseId: z.string().min(1).max(128) });

const inputItemsQuerySchema = z.strictObject({
  after: z.string().min(1).optional(),
  before: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  order: z.enum(['asc', 'desc']).default('desc'),
  include: z.union([z.string(), z.array(z.string())]).optional(),
});

/**
 * OpenAI's Responses API: `POST /v1/responses` (JSON or SSE) through the same gateway call as
 * chat completions, and the stored responses of the caller's organisation.
 */
export function registerResponsesRoutes(app: FastifyInstance, context: RouteContext): void {
  app.post('/v1/responses', requires('models:invoke'), async (request, reply) => {
    const body = parseWith(responseCreateRequestSchema, request.body);
    const call = { ...gatewayCallContext(request, reply), body };
    if (body.stream) return streamResponse(context, request, reply, call);
    const { response, outcome } = await context.responses.create(call);
    setServedHeaders(reply, outcome.servedAs);
    reply.header('x-kimi-model', outcome.model.publicId);
    reply.header('x-kimi-cost-usd', outcome.costUsd);
    setRouteHeaders(reply, outcome.route);
    return response;
  });

  app.get('/v1/responses/:responseId', requires('models:read'), async (request) => {
    const { responseId } = parseWith(responseParamsSchema, request.params);
    return context.responses.retrieve(callerOf(request), responseId);
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
