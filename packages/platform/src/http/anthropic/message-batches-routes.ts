import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type MessageBatchObject, messageBatchCreateRequestSchema } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import type { RouteContext } from '../route-context.ts';
import { anthropicRouteOptions } from './anthropic-route-options.ts';

const batchParamsSchema = z.strictObject({ messageBatchId: z.string().min(1).max(128) });

const batchListQuerySchema = z.strictObject({
  before_id: z.string().min(1).max(128).optional(),
  after_id: z.string().min(1).max(128).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(20),
});

/** `results_url` as Anthropic gives it: absolute, on the host the client called. */
function withAbsoluteResultsUrl(request: FastifyRequest, batch: MessageBatchObject): MessageBatchObject {
  if (batch.results_url === null) return batch;
  return { ...batch, results_url: `${request.protocol}://${request.host}${batch.results_url}` };
}

/** Anthropic's Message Batches API, on the same batch machinery as OpenAI's (docs/batches.md). */
export function registerMessageBatchesRoutes(app: FastifyInstance, context: RouteContext): void {
  app.post('/v1/messages/batches', anthropicRouteOptions('models:invoke'), async (request) => {
    const body = parseWith(messageBatchCreateRequestSchema, request.body);
    return withAbsoluteResultsUrl(request, await context.batches.createMessageBatch(callerOf(request), body));
  });

  app.get('/v1/messages/batches', anthropicRouteOptions('models:read'), async (request) => {
    const query = parseWith(batchListQuerySchema, request.query);
    const page = await context.batches.listMessageBatches(callerOf(request), {
      limit: query.limit,
      ...(query.after_id === undefined ? {} : { after: query.after_id }),
      ...(query.before_id === undefined ? {} : { before: query.before_id }),
    });
    return { ...page, data: page.data.map((batch) => withAbsoluteResultsUrl(request, batch)) };
  });

  app.get('/v1/messages/batches/:messageBatchId', anthropicRouteOptions('models:read'), async (request) => {
    const { messageBatchId } = parseWith(batchParamsSchema, request.params);
    return withAbsoluteResultsUrl(
      request,
      await context.batches.retrieveMessageBatch(callerOf(request), messageBatchId),
    );
  });

  app.post(
    '/v1/messages/batches/:messageBatchId/cancel',
    anthropicRouteOptions('models:invoke'),
    async (request) => {
      const { messageBatchId } = parseWith(batchParamsSchema, request.params);
      return withAbsoluteResultsUrl(
        request,
        await context.batches.cancelMessageBatch(callerOf(request), messageBatchId),
      );
    },
  );

  app.get(
    '/v1/messages/batches/:messageBatchId/results',
    anthropicRouteOptions('models:read'),
    async (request, reply) => {
      const { messageBatchId } = parseWith(batchParamsSchema, request.params);
      const results = await context.batches.messageBatchResults(callerOf(request), messageBatchId);
      reply.header('content-type', 'application/x-jsonl');
      return results;
    },
  );

  app.delete(
    '/v1/messages/batches/:messageBatchId',
    anthropicRouteOptions('models:invoke'),
    async (request) => {
      const { messageBatchId } = parseWith(batchParamsSchema, request.params);
      return context.batches.deleteMessageBatch(callerOf(request), messageBatchId);
    },
  );
}
