import { providerErrors } from '../../errors/index.ts';
import type { ChatStreamPart } from '../../model/index.ts';
import type { ServerSentEvent } from '../http/index.ts';
import {
  type AnthropicStreamEvent,
  type AnthropicUsage,
  anthropicStreamEventSchema,
} from './anthropic-api.ts';
import { mapAnthropicStreamError, providerName } from './anthropic-error.ts';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.ts';
import { mapAnthropicUsage, mergeAnthropicUsage } from './map-anthropic-usage.ts';

const choiceIndex = 0;

interface StreamState {
  usage: AnthropicUsage;
  stopReason: string | null | undefined;
  /** Content block index → our tool call index, for `tool_use` blocks only. */
  toolCallIndexByBlock: Map<number, number>;
  /** Tool calls that received argument text. */
  toolCallsWithArguments: Set<number>;
  /** Content block indexes that carry text. */
  textBlocks: Set<number>;
  /** Content block indexes of `thinking` blocks. */
  thinkingBlocks: Set<number>;
}

/**
 * Anthropic's streaming events (https://platform.claude.com/docs/en/build-with-claude/streaming)
 * as our stream parts: text deltas, tool calls as start/argument deltas/end, then finish and
 * usage once `message_stop` arrives. `ping` and event types we do not know are skipped, as the
 * API versioning policy says new event types may appear. A stream that ends before
 * `message_stop` was cut off and throws PROVIDER_STREAM_INTERRUPTED.
 */
export async function* convertAnthropicStream(
  events: AsyncIterable<ServerSentEvent>,
): AsyncGenerator<ChatStreamPart> {
  const state: StreamState = {
    usage: {},
    stopReason: undefined,
    toolCallIndexByBlock: new Map(),
    toolCallsWithArguments: new Set(),
    textBlocks: new Set(),
    thinkingBlocks: new Set(),
  };
  for await (const serverSentEvent of events) {
    const event = parseEvent(serverSentEvent);
    if (event === undefined) continue;
    if (event.type === 'message_stop') {
      yield { type: 'finish', choiceIndex, finishReason: mapAnthropicFinishReason(state.stopReason) };
      yield { type: 'usage', usage: mapAnthropicUsage(state.usage) };
      return;
    }
    yield* handleEvent(event, state);
  }
  throw providerErrors.streamInterrupted(providerName, 'the stream closed before message_stop');
}

const knownEventTypes = new Set([
  'message_start',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'message_delta',
  'message_stop',
  'error',
]);

function parseEvent(serverSentEvent: ServerSentEvent): AnthropicStreamEvent | undefined {
  let json: unknown;
  try {
    json = JSON.parse(serverSentEvent.data);
  } catch {
    throw providerErrors.badResponse(
      providerName,
      `an event's data is not JSON: ${serverSentEvent.data.slice(0, 200)}`,
    );
  }
  const parsed = anthropicStreamEventSchema.safeParse(json);
  if (!parsed.success) {
    // Why: an event we cannot read is fatal only if it claims to be one we rely on.
    const type = serverSentEvent.event ?? (json as { type?: unknown } | null)?.type;
    if (typeof type === 'string' && !knownEventTypes.has(type)) return undefined;
    throw providerErrors.badResponse(providerName, `unreadable ${String(type)} event`);
  }
  return parsed.data;
}

function* handleEvent(event: AnthropicStreamEvent, state: StreamState): Generator<ChatStreamPart> {
  switch (event.type) {
    case 'message_start':
      if (event.message?.usage) state.usage = mergeAnthropicUsage(state.usage, event.message.usage);
      return;
    case 'content_block_start':
      yield* startBlock(event, state);
      return;
    case 'content_block_delta':
      yield* deltaBlock(event, state);
      return;
    case 'content_block_stop': {
      const toolCallIndex = state.toolCallIndexByBlock.get(event.index ?? -1);
      if (toolCallIndex === undefined) return;
      // Why: a tool without input streams no JSON at all; '{}' keeps the arguments parseable, as in generate().
      if (!state.toolCallsWithArguments.has(toolCallIndex)) {
        yield { type: 'tool-call-delta', choiceIndex, toolCallIndex, argumentsDelta: '{}' };
      }
      yield { type: 'tool-call-end', choiceIndex, toolCallIndex };
      return;
    }
    case 'message_delta':
      if (event.delta?.stop_reason) state.stopReason = event.delta.stop_reason;
      if (event.usage) state.usage = mergeAnthropicUsage(state.usage, event.usage);
      return;
    case 'error':
      throw mapAnthropicStreamError(event.error ?? {});
    default:
      return;
  }
}

function* startBlock(event: AnthropicStreamEvent, state: StreamState): Generator<ChatStreamPart> {
  const block = event.content_block;
  const index = event.index;
  if (!block || index === null || index === undefined) {
    throw providerErrors.badResponse(providerName, 'content_block_start without its block or index');
  }
  if (block.type === 'text') {
    state.textBlocks.add(index);
    if (block.text) yield { type: 'text-delta', choiceIndex, delta: block.text };
    return;
  }
  if (block.type === 'thinking') {
    state.thinkingBlocks.add(index);
    if (block.thinking) yield { type: 'reasoning-delta', choiceIndex, delta: block.thinking };
    return;
  }
  if (block.type === 'redacted_thinking') {
    if (typeof block.data === 'string') yield { type: 'reasoning-redacted', choiceIndex, data: block.data };
    return;
  }
  if (block.type === 'tool_use') {
    if (!block.id || !block.name)
      throw providerErrors.badResponse(providerName, 'a tool_use block lacks its id or name');
    const toolCallIndex = state.toolCallIndexByBlock.size;
    state.toolCallIndexByBlock.set(index, toolCallIndex);
    yield { type: 'tool-call-start', choiceIndex, toolCallIndex, id: block.id, name: block.name };
  }
}

function* deltaBlock(event: AnthropicStreamEvent, state: StreamState): Generator<ChatStreamPart> {
  const index = event.index ?? -1;
  const delta = event.delta;
  if (delta?.type === 'text_delta' && state.textBlocks.has(index) && delta.text) {
    yield { type: 'text-delta', choiceIndex, delta: delta.text };
    return;
  }
  if (state.thinkingBlocks.has(index)) {
    if (delta?.type === 'thinking_delta' && delta.thinking) {
      yield { type: 'reasoning-delta', choiceIndex, delta: delta.thinking };
    }
    // Why: the signature is verified by Anthropic when the block comes back; it passes as received.
    if (delta?.type === 'signature_delta' && typeof delta.signature === 'string') {
      yield { type: 'reasoning-signature', choiceIndex, signature: delta.signature };
    }
    return;
  }
  const toolCallIndex = state.toolCallIndexByBlock.get(index);
  if (delta?.type === 'input_json_delta' && toolCallIndex !== undefined && delta.partial_json) {
    state.toolCallsWithArguments.add(toolCallIndex);
    yield { type: 'tool-call-delta', choiceIndex, toolCallIndex, argumentsDelta: delta.partial_json };
  }
}
