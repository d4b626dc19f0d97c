import { describe, expect, it } from 'vitest';
import type { ChatStreamPart } from '../../model/index.ts';
import type { ServerSentEvent } from '../http/index.ts';
import { convertAnthropicStream } from './anthropic-stream.ts';

type EventData = { type: string } & Record<string, unknown>;

async function* serverSentEvents(events: EventData[]): AsyncGenerator<ServerSentEvent> {
  for (const data of events) yield { event: data.type, data: JSON.stringify(data), id: undefined };
}

async function run(events: EventData[]): Promise<ChatStreamPart[]> {
  const parts: ChatStreamPart[] = [];
  for await (const part of convertAnthropicStream(serverSentEvents(events))) parts.push(part);
  return parts;
}

async function failure(events: EventData[]): Promise<unknown> {
  const parts: ChatStreamPart[] = [];
  return (async () => {
    for await (const part of convertAnthropicStream(serverSentEvents(events))) parts.push(part);
  })().then(
    () => undefined,
    (error: unknown) => error,
  );
}

const messageStart: EventData = {
  type: 'message_start',
  message: { id: 'msg_1', model: 'claude-test', content: [], usage: { input_tokens: 10, output_tokens: 1 } },
};
const messageStop: EventData = { type: 'message_stop' };
const textStart = (index: number): EventData => ({
  type: 'content_block_start',
  index,
  content_block: { type: 'text', text: '' },
});
const textDelta = (index: number, text: string): EventData => ({
  type: 'content_block_delta',
  index,
  delta: { type: 'text_delta', text },
});
const blockStop = (index: number): EventData => ({ type: 'content_block_stop', index });
const messageDelta = (stopReason: string, usage: Record<string, number>): EventData => ({
  type: 'message_delta',
  delta: { stop_reason: stopReason, stop_sequence: null },
  usage,
});

describe('convertAnthropicStream', () => {
  it('skips ping and event types it does not know', async () => {
    const parts = await run([
      messageStart,
      { type: 'ping' },
      textStart(0),
      { type: 'some_future_event', payload: { anything: [1, 2] }, index: 'not a number' },
      textDelta(0, 'Hi'),
      { type: 'ping' },
      blockStop(0),
      messageDelta('end_turn', { output_tokens: 3 }),
      messageStop,
    ]);
    expect(parts).toEqual([
      { type: 'text-delta', choiceIndex: 0, delta: 'Hi' },
      { type: 'finish', choiceIndex: 0, finishReason: 'stop' },
      { type: 'usage', usage: { promptTokens: 10, completionTokens: 3, cachedPromptTokens: 0 } },
    ]);
  });

  it('counts tool calls over tool_use blocks only and passes thinking on as reasoning', async () => {
    const parts = await run([
      messageStart,
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me see.' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'abc' } },
      blockStop(0),
      {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} },
      },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '' } },
      {
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'input_json_delta', partial_json: '{"city":' },
      },
      {
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'input_json_delta', partial_json: '"Paris"}' },
      },
      blockStop(1),
      {
        type: 'content_block_start',
        index: 2,
        content_block: { type: 'tool_use', id: 'toolu_2', name: 'now', input: {} },
      },
      blockStop(2),
      messageDelta('tool_use', { output_tokens: 30 }),
      messageStop,
    ]);
    expect(parts.filter((part) => part.type !== 'usage')).toEqual([
      { type: 'reasoning-delta', choiceIndex: 0, delta: 'Let me see.' },
      { type: 'reasoning-signature', choiceIndex: 0, signature: 'abc' },
      { type: 'tool-call-start', choiceIndex: 0, toolCallIndex: 0, id: 'toolu_1', name: 'get_weather' },
      { type: 'tool-call-delta', choiceIndex: 0, toolCallIndex: 0, argumentsDelta: '{"city":' },
      { type: 'tool-call-delta', choiceIndex: 0, toolCallIndex: 0, argumentsDelta: '"Paris"}' },
      { type: 'tool-call-end', choiceIndex: 0, toolCallIndex: 0 },
      { type: 'tool-call-start', choiceIndex: 0, toolCallIndex: 1, id: 'toolu_2', name: 'now' },
      { type: 'tool-call-delta', choiceIndex: 0, toolCallIndex: 1, argumentsDelta: '{}' },
      { type: 'tool-call-end', choiceIndex: 0, toolCallIndex: 1 },
      { type: 'finish', choiceIndex: 0, finishReason: 'tool_calls' },
    ]);
  });

  it('reports cumulative usage with cache reads and writes, last', async () => {
    const parts = await run([
      {
        type: 'message_start',
        message: {
          id: 'msg_1',
          usage: {
            input_tokens: 400,
            cache_read_input_tokens: 1500,
            cache_creation_input_tokens: 100,
            output_tokens: 1,
          },
        },
      },
      textStart(0),
      textDelta(0, 'Cached answer.'),
      blockStop(0),
      messageDelta('max_tokens', { output_tokens: 5 }),
      messageStop,
    ]);
    expect(parts.at(-2)).toEqual({ type: 'finish', choiceIndex: 0, finishReason: 'length' });
    expect(parts.at(-1)).toEqual({
      type: 'usage',
      usage: {
        promptTokens: 2000,
        completionTokens: 5,
        cachedPromptTokens: 1500,
        cacheWritePromptTokens: 100,
      },
    });
  });

  it('throws a retryable PROVIDER_UNAVAILABLE for an overloaded_error event', async () => {
    const error = await failure([
      messageStart,
      textStart(0),
      textDelta(0, 'Hel'),
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    ]);
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true, category: 'provider' });
    expect((error as Error).message).toContain('Overloaded');
  });

  it('throws PROVIDER_STREAM_INTERRUPTED for any other error event', async () => {
    const error = await failure([
      messageStart,
      { type: 'error', error: { type: 'api_error', message: 'Internal' } },
    ]);
    expect(error).toMatchObject({ code: 'PROVIDER_STREAM_INTERRUPTED', retryable: true });
  });

  it('throws PROVIDER_STREAM_INTERRUPTED when the stream ends without message_stop', async () => {
    const error = await failure([
      messageStart,
      textStart(0),
      textDelta(0, 'Half'),
      blockStop(0),
      messageDelta('end_turn', { output_tokens: 2 }),
    ]);
    expect(error).toMatchObject({ code: 'PROVIDER_STREAM_INTERRUPTED', retryable: true });
  });

  it('rejects data that is not JSON and known events it cannot read', async () => {
    async function* broken(): AsyncGenerator<ServerSentEvent> {
      yield { event: 'content_block_delta', data: '{"type":"content_block_delta",', id: undefined };
    }
    const parts: ChatStreamPart[] = [];
    await expect(
      (async () => {
        for await (const part of convertAnthropicStream(broken())) parts.push(part);
      })(),
    ).rejects.toMatchObject({ code: 'PROVIDER_BAD_RESPONSE' });
    expect(await failure([{ type: 'content_block_start', index: 0 }])).toMatchObject({
      code: 'PROVIDER_BAD_RESPONSE',
    });
  });
});
