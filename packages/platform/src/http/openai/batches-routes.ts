import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { batchCreateRequestSchema } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import type { RouteContext } from '../route-context.ts';
import { requires } from '../route-permission.ts';
import { openAIBatchExample, openAIBatchPageSchema, openAIBatchSchema } from './batch-file-schemas.ts';

const tag = 'OpenAI: batches';
const batchResponse = (
  description: string,
  example: z.output<typeof openAIBatchSchema> = openAIBatchExample,
) => ({
  200: { description, schema: openAIBatchSchema, example },
});
type BatchOutput = Promise<z.output<typeof openAIBatchSchema>>;

const batchParamsSchema = z.strictObject({ batchId: z.string().min(1).max(128) });

const batchListQuerySchema = z.strictObject({
  after: z.string().min(1).max(128).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** OpenAI's Batch API: batches of a `batch` input file, run on the job queue (docs/batches.md). */
export function registerBatchesRoutes(app: FastifyInstance, context: RouteContext): void {
  app.post(
    '/v1/batches',
    requires('models:invoke', {
      operationId: 'createBatch',
      summary: 'Create a batch from a `batch` input file',
      description:
        'The lines of the file run on the job queue within the 24h window; results go to an output file (and failures to an error file).',
      tag,
      body: batchCreateRequestSchema,
      bodyExample: {
        input_file_id: 'file-7Hc2Qm9xLw4Tb1zR',
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
        metadata: { job: 'nightly' },
      },
      responses: batchResponse('The batch, validated and queued (or `failed` with its `errors`).'),
      errors: [404],
    }),
    async (request): BatchOutput => {
      const body = parseWith(batchCreateRequestSchema, request.body);
      return context.batches.create(callerOf(request), body);
    },
  );

  app.get(
    '/v1/batches',
    requires('models:read', {
      operationId: 'listBatches',
      summary: "List the organisation's batches",
      tag,
      query: batchListQuerySchema,
      responses: {
        200: {
          description: 'A page of batches, newest first.',
          schema: openAIBatchPageSchema,
          example: {
            object: 'list',
            data: [openAIBatchExample],
            first_id: openAIBatchExample.id,
            last_id: openAIBatchExample.id,
            has_more: false,
          },
        },
      },
    }),
    async (request): Promise<z.output<typeof openAIBatchPageSchema>> => {
      const query = parseWith(batchListQuerySchema, request.query);
      return context.batches.list(callerOf(request), {
        limit: query.limit,
        ...(query.after === undefined ? {} : { after: query.after }),
      });
    },
  );

  app.get(
    '/v1/batches/:batchId',
    requires('models:read', {
      operationId: 'getBatch',
      summary: 'Get a batch',
      tag,
      params: batchParamsSchema,
      responses: batchResponse('The batch.'),
      errors: [404],
    }),
    async (request): BatchOutput => {
      const { batchId } = parseWith(batchParamsSchema, request.params);
      return context.batches.retrieve(callerOf(request), batchId);
    },
  );

  app.post(
    '/v1/batches/:batchId/cancel',
    requires('models:invoke', {
      operationId: 'cancelBatch',
      summary: 'Cancel a batch',
      description: 'Lines not started are cancelled; running ones finish. An ended batch is a 409.',
      tag,
      params: batchParamsSchema,
      responses: batchResponse('The batch, `cancelling` (then `cancelled`).', {
        ...openAIBatchExample,
        status: 'cancelling',
        cancelling_at: 1_796_659_300,
      }),
      // why 413 and 415: a body sent to this body-less POST is still read and checked.
      errors: [404, 409, 413, 415],
    }),
    async (request): BatchOutput => {
      const { batchId } = parseWith(batchParamsSchema, request.params);
      return context.batches.cancel(callerOf(request), batchId);
    },
  );
}
