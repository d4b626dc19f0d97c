import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { batchCreateRequestSchema } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import type { RouteContext } from '../route-context.ts';
import { requires } from '../route-permission.ts';

const batchParamsSchema = z.strictObject({ batchId: z.string().min(1).max(128) });

const batchListQuerySchema = z.strictObject({
  after: z.string().min(1).max(128).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** OpenAI's Batch API: batches of a `batch` input file, run on the job queue (docs/batches.md). */
export function registerBatchesRoutes(app: FastifyInstance, context: RouteContext): void {
  app.post('/v1/batches', requires('models:invoke'), async (request) => {
    const body = parseWith(batchCreateRequestSchema, request.body);
    return context.batches.create(callerOf(request), body);
  });

  app.get('/v1/batches', requires('models:read'), async (request) => {
    const query = parseWith(batchListQuerySchema, request.query);
    return context.batches.list(callerOf(request), {
      limit: query.limit,
      ...(query.after === undefined ? {} : { after: query.after }),
    });
  });

  app.get('/v1/batches/:batchId', requires('models:read'), async (request) => {
    const { batchId } = parseWith(batchParamsSchema, request.params);
    return context.batches.retrieve(callerOf(request), batchId);
  });

  app.post('/v1/batches/:batchId/cancel', requires('models:invoke'), async (request) => {
    const { batchId } = parseWith(batchParamsSchema, request.params);
    return context.batches.cancel(callerOf(request), batchId);
  });
}
