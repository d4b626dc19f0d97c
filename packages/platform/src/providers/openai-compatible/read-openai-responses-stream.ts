import { isPlatformError, providerErrors } from '../../errors/index.ts';
import type { ChatStreamPart, TokenUsage } from '../../model/index.ts';
import { discardBody, type HeaderReader, readServerSentEvents } from '../http/index.ts';
import { mapOpenAICompatibleError } from './openai-compatible-error.ts';
import { type OpenAIResponsesEvent, openAIResponsesEventSchema } from './openai-responses-api.ts';
import { failureOf, finishReasonOf, readOpenAIResponsesUsage } from './parse-openai-responses-result.ts';
import { parseStreamEvent } from './parse-stream-event.ts';
import type { StreamContext } from './read-openai-compatible-stream.ts';

const noHeaders: HeaderReader = { get: () => null };

interface StreamState {
  /** Our dense tool-call index, by the provider's item id. */
  toolCalls: Map<string, number>;
  calledTools: boolean;
  usage: TokenUsage | null;
  finished: boolean;
}

/**
 * Turns a Responses API SSE body into our stream parts (one choice): text deltas, a tool call per
 * `function_call` item, reasoning summaries as reasoning deltas closed by the item's encrypted
 * content (OpenAI's signature), then `finish` and `usage` at `response.completed` or
 * `response.incomplete`. `response.failed`, an `error` event, or a body that ends first throws;
 * an abort rethrows the signal's reason.
 */
export async function* readOpenAIResponsesStream(
  body: AsyncIterable<Uint8Array>,
  context: StreamContext,
): AsyncGenerator<ChatStreamPart> {
  const state: StreamState = { toolCalls: new Map(), calledTools: false, usage: null, finished: false };
  let completed = false;
  try {
    for await (const event of readServerSentEvents(body)) {
      if (event.data === '[DONE]') break;
      yield* readEvent(parseEvent(event.data, context.provider), state, context);
      if (state.finished) break;
    }
    completed = true;
  } catch (error) {
    if (context.signal?.aborted) throw context.signal.reason;
    if (isPlatformError(error)) throw error;
    throw providerErrors.streamInterrupted(context.provider, (error as Error).message);
  } finally {
    // Why: a consumer that stops early must not leave the upstream connection open.
    if (!completed || state.finished) await discardBody(body);
  }
  if (!state.finished) {
    throw providerErrors.streamInterrupted(
      context.provider,
      'the stream ended before the response completed',
    );
  }
  if (state.usage !== null) yield { type: 'usage', usage: state.usage };
}

function parseEvent(data: string, provider: string): OpenAIResponsesEvent {
  return parseStreamEvent(data, provider, openAIResponsesEventSchema, 'the Responses format');
}

function* readEvent(
  event: OpenAIResponsesEvent,
  state: StreamState,
  context: StreamContext,
): Generator<ChatStreamPart> {
  const choiceIndex = 0;
  switch (event.type) {
    case 'response.output_text.delta':
      if (event.delta) yield { type: 'text-delta', choiceIndex, delta: event.delta };
      return;
    case 'response.reasoning_summary_part.added':
      // Parts of one summary are paragraphs of one reasoning text.
      if ((event.summary_index ?? 0) > 0) yield { type: 'reasoning-delta', choiceIndex, delta: '\n\n' };
      return;
    case 'response.reasoning_summary_text.delta':
      if (event.delta) yield { type: 'reasoning-delta', choiceIndex, delta: event.delta };
      return;
    case 'response.output_item.added': {
      const item = event.item;
      if (item?.type !== 'function_call') return;
      const toolCallIndex = state.toolCalls.size;
      state.toolCalls.set(item.id ?? item.call_id ?? String(toolCallIndex), toolCallIndex);
      state.calledTools = true;
      yield {
        type: 'tool-call-start',
        choiceIndex,
        toolCallIndex,
        id: item.call_id ?? '',
        name: item.name ?? '',
      };
      // Why: a server may send the whole arguments on the item instead of as deltas.
      if (item.arguments)
        yield { type: 'tool-call-delta', choiceIndex, toolCallIndex, argumentsDelta: item.arguments };
      return;
    }
    case 'response.function_call_arguments.delta': {
      const toolCallIndex = state.toolCalls.get(event.item_id ?? '');
      if (toolCallIndex !== undefined && event.delta) {
        yield { type: 'tool-call-delta', choiceIndex, toolCallIndex, argumentsDelta: event.delta };
      }
      return;
    }
    case 'response.output_item.done': {
      const item = event.item;
      if (item?.type === 'function_call') {
        const toolCallIndex = state.toolCalls.get(item.id ?? item.call_id ?? '');
        if (toolCallIndex !== undefined) yield { type: 'tool-call-end', choiceIndex, toolCallIndex };
      } else if (item?.type === 'reasoning' && item.encrypted_content) {
        yield {
          type: 'reasoning-signature',
          choiceIndex,
          signature: item.encrypted_content,
          provider: context.provider,
          ...(item.id ? { itemId: item.id } : {}),
        };
      }
      return;
    }
    case 'response.completed':
    case 'response.incomplete': {
      const response = event.response ?? {};
      state.usage = readOpenAIResponsesUsage(response.usage);
      state.finished = true;
      yield { type: 'finish', choiceIndex, finishReason: finishReasonOf(response, state.calledTools) };
      return;
    }
    case 'response.failed':
      throw (
        failureOf(event.response ?? { status: 'failed' }, context.provider) ??
        new Error('the response failed')
      );
    case 'error':
      throw mapOpenAICompatibleError(
        {
          provider: context.provider,
          model: context.model,
          status: undefined,
          headers: noHeaders,
          error: { message: event.message ?? null, code: event.code ?? null, param: event.param ?? null },
          message: event.message ?? 'the provider reported an error',
        },
        context.mapError,
      );
    default:
      return;
  }
}
