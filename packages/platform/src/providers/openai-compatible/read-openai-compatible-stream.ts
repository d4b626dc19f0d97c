import { isPlatformError, providerErrors } from '../../errors/index.ts';
import type { ChatStreamPart, TokenUsage } from '../../model/index.ts';
import { discardBody, type HeaderReader, readServerSentEvents } from '../http/index.ts';
import { mapOpenAICompatibleFinishReason } from './map-openai-compatible-finish-reason.ts';
import {
  type OpenAIChatChunk,
  type OpenAIChunkChoice,
  openAIChatChunkSchema,
} from './openai-compatible-api.ts';
import { type ErrorMapper, mapOpenAICompatibleError } from './openai-compatible-error.ts';
import { parseStreamEvent } from './parse-stream-event.ts';
import { isPlainTextChunk } from './plain-text-chunk.ts';
import { readOpenAICompatibleUsage } from './read-openai-compatible-usage.ts';

const noHeaders: HeaderReader = { get: () => null };

/** What reading a stream needs besides the body. */
export interface StreamContext {
  provider: string;
  model: string;
  signal?: AbortSignal;
  mapError?: ErrorMapper;
}

interface ToolCallState {
  /** Our dense index within the choice. */
  ordinal: number;
  id: string | undefined;
  name: string | undefined;
  started: boolean;
  /** Argument text that arrived before the name did. */
  pendingArguments: string;
}

interface ChoiceState {
  index: number;
  toolCalls: Map<number, ToolCallState>;
  finished: boolean;
}

type ToolCallDelta = NonNullable<NonNullable<NonNullable<OpenAIChunkChoice['delta']>['tool_calls']>[number]>;

/**
 * Turns a Chat Completions SSE body into our stream parts: text and tool-call deltas per choice,
 * `tool-call-end`s and a `finish` when a choice finishes, and one `usage` part last (none when the
 * server reported none). An error event, a body that breaks off, or an end without every choice
 * finished throws; an abort rethrows the signal's reason.
 */
export async function* readOpenAICompatibleStream(
  body: AsyncIterable<Uint8Array>,
  context: StreamContext,
): AsyncGenerator<ChatStreamPart> {
  const choices = new Map<number, ChoiceState>();
  let usage: TokenUsage | null = null;
  let completed = false;
  try {
    for await (const event of readServerSentEvents(body)) {
      if (event.data === '[DONE]') break;
      const chunk = parseChunk(event.data, context.provider);
      if (chunk.error) {
        throw mapOpenAICompatibleError(
          {
            provider: context.provider,
            model: context.model,
            status: undefined,
            headers: noHeaders,
            error: chunk.error,
            message: chunk.error.message ?? 'the provider reported an error',
          },
          context.mapError,
        );
      }
      for (const [position, choice] of (chunk.choices ?? []).entries()) {
        const index = choice.index ?? position;
        let state = choices.get(index);
        if (state === undefined) {
          state = { index, toolCalls: new Map(), finished: false };
          choices.set(index, state);
        }
        yield* readChoice(choice, state);
        usage = readOpenAICompatibleUsage(choice.usage) ?? usage;
      }
      usage = readOpenAICompatibleUsage(chunk.usage) ?? usage;
    }
    completed = true;
  } catch (error) {
    if (context.signal?.aborted) throw context.signal.reason;
    if (isPlatformError(error)) throw error;
    throw providerErrors.streamInterrupted(context.provider, (error as Error).message);
  } finally {
    // Why: a consumer that stops early must not leave the upstream connection open.
    if (!completed) await discardBody(body);
  }
  const states = [...choices.values()];
  if (states.length === 0 || states.some((state) => !state.finished)) {
    throw providerErrors.streamInterrupted(context.provider, 'the stream ended before a finish reason');
  }
  if (usage !== null) yield { type: 'usage', usage };
}

function parseChunk(data: string, provider: string): OpenAIChatChunk {
  return parseStreamEvent(data, provider, openAIChatChunkSchema, 'the chunk format', isPlainTextChunk);
}

function* readChoice(choice: OpenAIChunkChoice, state: ChoiceState): Generator<ChatStreamPart> {
  const choiceIndex = state.index;
  const delta = choice.delta;
  if (delta?.reasoning_content) {
    yield { type: 'reasoning-delta', choiceIndex, delta: delta.reasoning_content };
  }
  if (delta?.content) yield { type: 'text-delta', choiceIndex, delta: delta.content };
  for (const [position, toolCall] of (delta?.tool_calls ?? []).entries()) {
    yield* readToolCallDelta(toolCall, position, state);
  }
  if (delta?.function_call) {
    yield* readToolCallDelta({ index: 0, id: null, function: delta.function_call }, 0, state);
  }
  // Why: a few servers repeat the finish reason on the trailing usage chunk.
  if (choice.finish_reason && !state.finished) {
    for (const toolCall of [...state.toolCalls.values()].sort((a, b) => a.ordinal - b.ordinal)) {
      // Why: a call whose name never arrived still carries arguments the caller should see.
      if (!toolCall.started) yield* startToolCall(toolCall, choiceIndex);
      yield { type: 'tool-call-end', choiceIndex, toolCallIndex: toolCall.ordinal };
    }
    state.toolCalls.clear();
    state.finished = true;
    yield {
      type: 'finish',
      choiceIndex,
      finishReason: mapOpenAICompatibleFinishReason(choice.finish_reason),
    };
  }
}

function* readToolCallDelta(
  delta: ToolCallDelta,
  position: number,
  state: ChoiceState,
): Generator<ChatStreamPart> {
  const wireIndex = delta.index ?? wireIndexWithoutIndex(delta, position, state);
  let toolCall = state.toolCalls.get(wireIndex);
  if (toolCall === undefined) {
    toolCall = {
      ordinal: state.toolCalls.size,
      id: undefined,
      name: undefined,
      started: false,
      pendingArguments: '',
    };
    state.toolCalls.set(wireIndex, toolCall);
  }
  if (delta.id) toolCall.id = delta.id;
  if (delta.function?.name && !toolCall.started) toolCall.name = delta.function.name;
  const argumentsDelta = delta.function?.arguments ?? '';
  if (!toolCall.started && toolCall.name !== undefined) {
    yield* startToolCall(toolCall, state.index);
  }
  if (argumentsDelta === '') return;
  if (toolCall.started) {
    yield {
      type: 'tool-call-delta',
      choiceIndex: state.index,
      toolCallIndex: toolCall.ordinal,
      argumentsDelta,
    };
  } else {
    toolCall.pendingArguments += argumentsDelta;
  }
}

/**
 * For servers that leave out `index`: a delta with a new id opens a call, one with a known id
 * continues it, and one without an id continues the latest call.
 */
function wireIndexWithoutIndex(delta: ToolCallDelta, position: number, state: ChoiceState): number {
  if (state.toolCalls.size === 0) return position;
  for (const [wireIndex, toolCall] of state.toolCalls)
    if (delta.id && toolCall.id === delta.id) return wireIndex;
  const latest = Math.max(...state.toolCalls.keys());
  return delta.id ? latest + 1 : latest;
}

function* startToolCall(toolCall: ToolCallState, choiceIndex: number): Generator<ChatStreamPart> {
  toolCall.started = true;
  yield {
    type: 'tool-call-start',
    choiceIndex,
    toolCallIndex: toolCall.ordinal,
    id: toolCall.id ?? `call_${choiceIndex}_${toolCall.ordinal}`,
    name: toolCall.name ?? '',
  };
  if (toolCall.pendingArguments !== '') {
    yield {
      type: 'tool-call-delta',
      choiceIndex,
      toolCallIndex: toolCall.ordinal,
      argumentsDelta: toolCall.pendingArguments,
    };
    toolCall.pendingArguments = '';
  }
}
