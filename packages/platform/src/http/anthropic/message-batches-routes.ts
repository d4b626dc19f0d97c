import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type MessageBatchObject, messageBatchCreateRequestSchema } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import type { RouteContext } from '../route-context.ts';
import { anthropicRouteOptions } from './anthropic-route-options.ts';
import {
  deletedMessageBatchSchema,
  messageBatchExample,
  messageBatchPageSchema,
  messageBatchSchema,
} from './anthropic-schemas.ts';

const tag = 'Anthropic: message batches';
type Output<Schema extends z.ZodType> = Promise<z.output<Schema>>;
const batchResponse = (
  description: string,
  example: z.output<typeof messageBatchSchema> = messageBatchExample,
) => ({ 200: { description, schema: messageBatchSchema, example } });
const endedBatchExample = {
  ...messageBatchExample,
  processing_status: 'ended',
  request_counts: { processing: 0, succeeded: 2, errored: 0, canceled: 0, expired: 0 },
  ended_at: '2026-12-07T16:05:00.000Z',
  results_url: `https://api.example.com/v1/messages/batches/${messageBatchExample.id}/results`,
} satisfies z.output<typeof messageBatchSchema>;

const batchParamsSchema = z.strictObject({ messageBatchId: z.string().min(1).max(128) });

const batchListQuerySchema = z.strictObject({
  before_id: z.string().min(1).max(128).optional().describe('The page just before this batch.'),
  after_id: z.string().min(1).max(128).optional().describe('The page just after this batch.'),
  limit: z.coerce.number().int().min(1).max(1000).default(20),
});

/** `results_url` as Anthropic gives it: absolute, on the host the client called. */
function withAbsoluteResultsUrl(request: FastifyRequest, batch: MessageBatchObject): MessageBatchObject {
  if (batch.results_url === null) return batch;
  return { ...batch, results_url: `${request.protocol}://${request.host}${batch.results_url}` };
}

/** Anthropic's Message Batches API, on the same batch machinery as OpenAI's (docs/batches.md). */
export function registerMessageBatchesRoutes(app: FastifyInstance, context: RouteContext): void {
  app.post(
    '/v1/messages/batches',
    anthropicRouteOptions('models:invoke', {
      operationId: 'createMessageBatch',
      summary: 'Create a message batch',
      description:
        "Each request's `params` is a Messages body (without `stream`), checked when it runs, as Anthropic does; the batch runs on the job queue within 24 hours.",
      tag,
      body: messageBatchCreateRequestSchema,
      bodyExample: {
        requests: [
          {
            custom_id: 'first',
            params: { model: 'sim/fast', max_tokens: 256, messages: [{ role: 'user', content: 'Hello' }] },
          },
        ],
      },
      responses: batchResponse('The batch, `in_progress`.'),
    }),
    async (request): Output<typeof messageBatchSchema> => {
      const body = parseWith(messageBatchCreateRequestSchema, request.body);
      return withAbsoluteResultsUrl(
        request,
        await context.batches.createMessageBatch(callerOf(request), body),
      );
    },
  );

  app.get(
    '/v1/messages/batches',
    anthropicRouteOptions('models:read', {
      operationId: 'listMessageBatches',
      summary: "List the organisation's message batches",
      tag,
      query: batchListQuerySchema,
      responses: {
        200: {
          description: 'A page of batches, newest first.',
          schema: messageBatchPageSchema,
          example: {
            data: [messageBatchExample],
            has_more: false,
            first_id: messageBatchExample.id,
            last_id: messageBatchExample.id,
          },
        },
      },
    }),
    async (request): Output<typeof messageBatchPageSchema> => {
      const query = parseWith(batchListQuerySchema, request.query);
      const page = await context.batches.listMessageBatches(callerOf(request), {
        limit: query.limit,
        ...(query.after_id === undefined ? {} : { after: query.after_id }),
        ...(query.before_id === undefined ? {} : { before: query.before_id }),
      });
      return { ...page, data: page.data.map((batch) => withAbsoluteResultsUrl(request, batch)) };
    },
  );

  app.get(
    '/v1/messages/batches/:messageBatchId',
    anthropicRouteOptions('models:read', {
      operationId: 'getMessageBatch',
      summary: 'Get a message batch',
      tag,
      params: batchParamsSchema,
      responses: batchResponse('The batch; `results_url` once it has ended.', endedBatchExample),
      errors: [404],
    }),
    async (request): Output<typeof messageBatchSchema> => {
      const { messageBatchId } = parseWith(batchParamsSchema, request.params);
      return withAbsoluteResultsUrl(
        request,
        await context.batches.retrieveMessageBatch(callerOf(request), messageBatchId),
      );
    },
  );

  app.post(
    '/v1/messages/batches/:messageBatchId/cancel',
    anthropicRouteOptions('models:invoke', {
      operationId: 'cancelMessageBatch',
      summary: 'Cancel a message batch',
      description: 'Requests not started are canceled; an ended batch is answered as it is.',
      tag,
      params: batchParamsSchema,
      responses: batchResponse('The batch, `canceling` (or as it ended).', {
        ...messageBatchExample,
        processing_status: 'canceling',
        cancel_initiated_at: '2026-12-07T16:01:00.000Z',
      }),
      // why 413 and 415: a body sent to this body-less POST is still read and checked.
      errors: [404, 413, 415],
    }),
    async (request): Output<typeof messageBatchSchema> => {
      const { messageBatchId } = parseWith(batchParamsSchema, request.params);
      return withAbsoluteResultsUrl(
        request,
        await context.batches.cancelMessageBatch(callerOf(request), messageBatchId),
      );
    },
  );

  app.get(
    '/v1/messages/batches/:messageBatchId/results',
    anthropicRouteOptions('models:read', {
      operationId: 'getMessageBatchResults',
      summary: "Get an ended message batch's results (JSONL)",
      description:
        'One line per request, `{ "custom_id", "result": { "type": "succeeded", "message" } }` (or `errored`, `canceled`, `expired`). A batch still processing is a 409.',
      tag,
      params: batchParamsSchema,
      responses: {
        200: { description: 'The results, one JSON object a line.', contentType: 'application/x-jsonl' },
      },
      errors: [404, 409],
    }),
    async (request, reply) => {
      const { messageBatchId } = parseWith(batchParamsSchema, request.params);
      const results = await context.batches.messageBatchResults(callerOf(request), messageBatchId);
      reply.header('content-type', 'application/x-jsonl');
      return results;
    },
  );

  app.delete(
    '/v1/messages/batches/:messageBatchId',
    anthropicRouteOptions('models:invoke', {
      operationId: 'deleteMessageBatch',
      summary: 'Delete an ended message batch',
      description: 'A batch still processing is a 409: cancel it first.',
      tag,
      params: batchParamsSchema,
      responses: {
        200: {
          description: 'The batch is deleted.',
          schema: deletedMessageBatchSchema,
          example: { id: messageBatchExample.id, type: 'message_batch_deleted' },
        },
      },
      errors: [404, 409],
    }),
    async (request): Output<typeof deletedMessageBatchSchema> => {
      const { messageBatchId } = parseWith(batchParamsSchema, request.params);
      return context.batches.deleteMessageBatch(callerOf(request), messageBatchId);
    },
  );
}
