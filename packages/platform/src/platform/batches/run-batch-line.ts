import { errors, isPlatformError, type PlatformError } from '../../errors/index.ts';
import type { CachedChatCall, ChatGateway, EmbeddingGateway, UsageMeter } from '../../gateway/index.ts';
import type { UsageEndpoint } from '../../metering/index.ts';
import type { TokenUsage } from '../../model/index.ts';
import type { Clock } from '../../support/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';
import type { ResponseServices } from '../responses/index.ts';
import { responseCreateRequestSchema } from '../responses/index.ts';
import {
  chatCompletionRequestSchema,
  convertChatRequest,
  convertMessagesRequest,
  embeddingRequestSchema,
  messageId,
  messagesRequestSchema,
  parseWith,
  toAnthropicErrorBody,
  toAnthropicMessage,
  toChatCompletion,
  toEmbeddingList,
} from '../wire/index.ts';
import { newBatchRequestId } from './batch-identifiers.ts';
import type { BatchFormat, LineResult } from './batch-record.ts';

export interface LineRunnerDependencies {
  chat: ChatGateway;
  embeddings: EmbeddingGateway;
  responses: ResponseServices;
  meter: UsageMeter;
  clock: Clock;
  /** Throws when the batch's creator may no longer call (a revoked key): the line fails with it. */
  checkCaller?: (caller: AuthContext) => Promise<void>;
}

/** One line to run: its request, as the creator of the batch (no HTTP request behind it). */
export interface LineCall {
  format: BatchFormat;
  endpoint: string;
  customId: string;
  /** The line's `body` (OpenAI) or `params` (Anthropic). */
  body: Record<string, unknown>;
  caller: AuthContext;
  requestId: string;
  /** Never aborts while the process runs: a cancelled batch lets its in-flight lines finish. */
  signal: AbortSignal;
}

export interface LineOutcome {
  status: 'succeeded' | 'errored';
  statusCode: number;
  result: LineResult;
  /** What served the line and the tokens it was metered with (none for a failure). */
  served: { model: string; usage: TokenUsage } | null;
  /** Set for a failure worth another try later (429, a retryable provider failure). */
  retryable: PlatformError | null;
}

/**
 * The equivalent of `gatewayCallContext` for a background job: the creator's key context, the
 * line's request id, and a signal that never aborts. Admission (plans, rate limits, budgets),
 * routing, the cache and metering then apply exactly as to an interactive call, priced at the
 * model's batch price where it has one.
 */
export function backgroundCallContext(call: LineCall): Omit<CachedChatCall, 'modelName' | 'request'> {
  return {
    context: call.caller,
    requestId: call.requestId,
    startedAt: performance.now(),
    signal: call.signal,
    batch: true,
  };
}

const endpointUsage: Record<string, UsageEndpoint> = {
  '/v1/chat/completions': 'chat.completions',
  '/v1/responses': 'chat.completions',
  '/v1/messages': 'chat.completions',
  '/v1/embeddings': 'embeddings',
};

function refuseStreaming(body: { stream?: boolean | null | undefined }): void {
  if (body.stream) throw errors.invalidRequest('stream', 'Batch requests cannot stream.', "Drop 'stream'.");
}

interface Served {
  body: unknown;
  model: string;
  usage: TokenUsage;
}

/** Calls the gateway for one line; resolves with the wire body or throws the line's error. */
async function callGateway(dependencies: LineRunnerDependencies, call: LineCall): Promise<Served> {
  const context = backgroundCallContext(call);
  const created = Math.floor(dependencies.clock.now() / 1000);
  switch (call.endpoint) {
    case '/v1/chat/completions': {
      const body = parseWith(chatCompletionRequestSchema, call.body);
      refuseStreaming(body);
      if (body.kimi) {
        throw errors.invalidRequest(
          'kimi',
          "Batch lines of /v1/chat/completions cannot use 'kimi.knowledge_bases'.",
          'Send the line to /v1/responses, which grounds batch lines in knowledge bases, or call /v1/chat/completions directly.',
        );
      }
      const request = convertChatRequest(body);
      const outcome = await dependencies.chat.complete({ ...context, modelName: body.model, request });
      const completion = toChatCompletion(outcome.result, {
        id: `chatcmpl-${call.requestId.replace(/^req_/, '')}`,
        created,
        model: outcome.model.publicId,
        usage: outcome.usage,
      });
      return { body: completion, model: outcome.model.publicId, usage: outcome.usage };
    }
    case '/v1/embeddings': {
      const body = parseWith(embeddingRequestSchema, call.body);
      const outcome = await dependencies.embeddings.embed({
        ...context,
        modelName: body.model,
        input: typeof body.input === 'string' ? [body.input] : body.input,
        ...(body.dimensions === undefined ? {} : { dimensions: body.dimensions }),
        ...(body.user === undefined ? {} : { user: body.user }),
      });
      return {
        body: toEmbeddingList(outcome, body.encoding_format),
        model: outcome.model.publicId,
        usage: outcome.usage,
      };
    }
    case '/v1/responses': {
      const body = parseWith(responseCreateRequestSchema, call.body);
      refuseStreaming(body);
      const { response, outcome } = await dependencies.responses.create({ ...context, body });
      return { body: response, model: outcome.model.publicId, usage: outcome.usage };
    }
    case '/v1/messages': {
      const body = parseWith(messagesRequestSchema, call.body);
      refuseStreaming(body);
      const outcome = await dependencies.chat.complete({
        ...context,
        modelName: body.model,
        request: convertMessagesRequest(body),
      });
      const message = toAnthropicMessage(outcome.result, {
        id: messageId(call.requestId),
        model: outcome.model.publicId,
        usage: outcome.usage,
      });
      return { body: message, model: outcome.model.publicId, usage: outcome.usage };
    }
  }
  throw errors.invalidRequest('url', `The endpoint '${call.endpoint}' cannot be batched.`);
}

function succeeded(call: LineCall, body: unknown): LineResult {
  if (call.format === 'anthropic')
    return { custom_id: call.customId, result: { type: 'succeeded', message: body } };
  return {
    id: newBatchRequestId(),
    custom_id: call.customId,
    response: { status_code: 200, request_id: call.requestId, body },
    error: null,
  };
}

function errored(call: LineCall, error: PlatformError): LineResult {
  if (call.format === 'anthropic') {
    return {
      custom_id: call.customId,
      result: { type: 'errored', error: toAnthropicErrorBody(error, call.requestId) },
    };
  }
  return {
    id: newBatchRequestId(),
    custom_id: call.customId,
    response: {
      status_code: error.status,
      request_id: call.requestId,
      body: error.toResponseBody(call.requestId),
    },
    error: null,
  };
}

/** The result of a line that never ran: its batch was cancelled or its window ran out. */
export function settledResult(
  format: BatchFormat,
  customId: string,
  why: 'canceled' | 'expired',
): LineResult {
  if (format === 'anthropic') return { custom_id: customId, result: { type: why } };
  const error =
    why === 'expired'
      ? {
          code: 'batch_expired',
          message: 'This request could not be executed before the completion window expired.',
        }
      : {
          code: 'batch_cancelled',
          message: 'This request was not executed because the batch was cancelled.',
        };
  return { id: newBatchRequestId(), custom_id: customId, response: null, error };
}

/**
 * Runs one line. A failure is the line's result (its status code and error body), never the
 * batch's; a refusal before the gateway is metered here as the HTTP layer meters it.
 */
export async function runBatchLine(
  dependencies: LineRunnerDependencies,
  call: LineCall,
): Promise<LineOutcome> {
  const startedAt = performance.now();
  try {
    await dependencies.checkCaller?.(call.caller);
    const { body, model, usage } = await callGateway(dependencies, call);
    return {
      status: 'succeeded',
      statusCode: 200,
      result: succeeded(call, body),
      served: { model, usage },
      retryable: null,
    };
  } catch (caught) {
    const error = isPlatformError(caught) ? caught : errors.internal(caught);
    if (!dependencies.meter.hasMetered(caught)) {
      const model = call.body.model;
      await dependencies.meter.recordRefusal({
        context: call.caller,
        requestId: call.requestId,
        endpoint: endpointUsage[call.endpoint] ?? 'chat.completions',
        requestedModel: typeof model === 'string' ? model.slice(0, 256) : null,
        startedAt,
        error,
      });
    }
    const retryable = error.status === 429 || (error.retryable && error.status >= 500) ? error : null;
    return {
      status: 'errored',
      statusCode: error.status,
      result: errored(call, error),
      served: null,
      retryable,
    };
  }
}
