import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { errors, isPlatformError, type OpenAIErrorBody, PlatformError } from '../../errors/index.ts';
import { decimalToPicoUsd, picoUsdToDecimal } from '../../metering/index.ts';
import { chatCompletionRequestSchema, convertChatRequest } from '../../platform/wire/index.ts';
import { callerOf } from '../authentication.ts';
import { toPlatformError } from '../error-handler.ts';
import { parseWith } from '../parse-body.ts';
import { abortOnClientClose } from '../request-abort.ts';
import type { RouteContext } from '../route-context.ts';
import { requires } from '../route-permission.ts';
import {
  batchChatCompletionExample,
  batchChatCompletionSchema,
  batchChatRequestExample,
} from './chat-completion-schemas.ts';
import { completeChat } from './complete-chat.ts';

const batchEnvelopeSchema = z.strictObject({
  requests: z
    .array(z.unknown())
    .min(1)
    .describe('Chat completion bodies (as for POST /v1/chat/completions, without `stream`).'),
  max_concurrency: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('How many items run at once (at most `batch.max_concurrency`).'),
});

type Completion = Awaited<ReturnType<typeof completeChat>>['completion'];

type BatchItem =
  | { index: number; request_id: string; status: 200; cost_usd: string; response: Completion }
  | { index: number; request_id: string; status: number; error: OpenAIErrorBody['error'] };

/** The same error with its `param` placed inside `requests[index]`, so callers can find the field. */
function withinItem(error: unknown, index: number): unknown {
  if (!isPlatformError(error) || error.param === null) return error;
  return new PlatformError({
    code: error.code,
    message: error.message,
    status: error.status,
    category: error.category,
    type: error.type,
    retryable: error.retryable,
    param: `requests[${index}].${error.param}`,
    ...(error.hint ? { hint: error.hint } : {}),
  });
}

/** Runs `work` over `count` items, at most `concurrency` at once, keeping results in input order. */
async function mapBounded<Result>(
  count: number,
  concurrency: number,
  work: (index: number) => Promise<Result>,
) {
  const results: Result[] = new Array(count);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) {
      const index = next++;
      results[index] = await work(index);
    }
  });
  await Promise.all(lanes);
  return results;
}

/**
 * POST /v1/batch/chat/completions (our extension): many non-streaming chat requests in one call,
 * run concurrently with a bound and answered in order, each with its own status, usage record and
 * error. One bad item never fails the others.
 */
export function registerBatchRoute(app: FastifyInstance, context: RouteContext): void {
  app.post(
    '/v1/batch/chat/completions',
    requires('models:invoke', {
      operationId: 'createBatchChatCompletions',
      summary: 'Run many chat completions in one call (our extension)',
      description: [
        'Non-streaming chat completion bodies run concurrently (bounded) and answered in input order.',
        'Each item has its own status, usage record and error: one bad item never fails the others,',
        'so the call itself answers 200 unless the envelope is invalid.',
      ].join(' '),
      tag: 'OpenAI: chat',
      body: batchEnvelopeSchema,
      bodyExample: batchChatRequestExample,
      responses: {
        200: {
          description: 'Every item with its status, and the totals.',
          schema: batchChatCompletionSchema,
          example: batchChatCompletionExample,
        },
      },
    }),
    async (request, reply): Promise<z.output<typeof batchChatCompletionSchema>> => {
      const limits = context.config.batch;
      const caller = callerOf(request);
      const envelope = parseWith(batchEnvelopeSchema, request.body);
      if (envelope.requests.length > limits.max_requests) {
        throw errors.invalidRequest(
          'requests',
          `A batch may hold at most ${limits.max_requests} requests; this one has ${envelope.requests.length}.`,
          'Split the batch, or raise batch.max_requests in kimi.config.yaml.',
        );
      }
      if (envelope.max_concurrency !== undefined && envelope.max_concurrency > limits.max_concurrency) {
        throw errors.invalidRequest(
          'max_concurrency',
          `'max_concurrency' may be at most ${limits.max_concurrency}.`,
        );
      }
      const signal = abortOnClientClose(reply);

      const runItem = async (index: number): Promise<BatchItem> => {
        const requestId = `${request.id}.${index}`;
        const startedAt = performance.now();
        const item = envelope.requests[index];
        let handedToGateway = false;
        try {
          const body = parseWith(chatCompletionRequestSchema, item);
          if (body.stream)
            throw errors.invalidRequest('stream', 'Batch requests cannot stream.', "Drop 'stream'.");
          const converted = convertChatRequest(body);
          handedToGateway = true;
          const { completion, outcome } = await completeChat(context, {
            caller,
            requestId,
            startedAt,
            body,
            converted,
            signal,
          });
          return {
            index,
            request_id: requestId,
            status: 200,
            cost_usd: outcome.costUsd,
            response: completion,
          };
        } catch (caught) {
          const error = toPlatformError(withinItem(caught, index), 0);
          if (!handedToGateway) {
            const model = (item as { model?: unknown } | null)?.model;
            await context.meter.recordRefusal({
              context: caller,
              requestId,
              endpoint: 'chat.completions',
              requestedModel: typeof model === 'string' ? model.slice(0, 256) : null,
              startedAt,
              error,
            });
          }
          return {
            index,
            request_id: requestId,
            status: error.status,
            error: error.toResponseBody(requestId).error,
          };
        }
      };

      const items = await mapBounded(
        envelope.requests.length,
        envelope.max_concurrency ?? limits.max_concurrency,
        runItem,
      );
      const usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
      let costPico = 0n;
      for (const item of items) {
        if (!('response' in item)) continue;
        usage.prompt_tokens += item.response.usage.prompt_tokens;
        usage.completion_tokens += item.response.usage.completion_tokens;
        usage.total_tokens += item.response.usage.total_tokens;
        costPico += decimalToPicoUsd(item.cost_usd);
      }
      return {
        object: 'batch.chat.completion',
        data: items,
        succeeded: items.filter((item) => item.status === 200).length,
        failed: items.filter((item) => item.status !== 200).length,
        usage,
        cost_usd: picoUsdToDecimal(costPico),
      };
    },
  );
}
