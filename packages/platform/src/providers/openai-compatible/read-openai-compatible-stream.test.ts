import { describe, expect, it } from 'vitest';
import { isPlatformError, type PlatformError } from '../../errors/index.ts';
import type { ChatStreamPart } from '../../model/index.ts';
import { readOpenAICompatibleStream, type StreamContext } from './read-openai-compatible-stream.ts';

const context: StreamContext = { provider: 'test', model: 'model-1' };

function body(events: unknown[], options: { done?: boolean } = {}): ReadableStream<Uint8Array> {
  const lines = events.map(
    (event) => `data: ${typeof event === 'string' ? event : JSON.stringify(event)}\n\n`,
  );
  if (options.done !== false) lines.push('data: [DONE]\n\n');
  const bytes = new TextEncoder().encode(lines.join(''));
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

function delta(index: number, value: Record<string, unknown>, finishReason: string | null = null) {
  return { choices: [{ index, delta: value, finish_reason: finishReason }] };
}

async function read(stream: ReadableStream<Uint8Array>, streamContext: StreamContext = context) {
  const parts: ChatStreamPart[] = [];
  for await (const part of readOpenAICompatibleStream(stream, streamContext)) parts.push(part);
  return parts;
}

async function failure(stream: ReadableStream<Uint8Array>): Promise<PlatformError> {
  const error = await read(stream).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isPlatformError(error), String(error)).toBe(true);
  return error as PlatformError;
}

describe('readOpenAICompatibleStream', () => {
  it('keeps interleaved choices apart (n > 1) and emits the usage last', async () => {
    const parts = await read(
      body([
        delta(0, { role: 'assistant', content: '' }),
        delta(1, { role: 'assistant', content: '' }),
        delta(0, { content: 'Hel' }),
        delta(1, { content: 'Bon' }),
        delta(1, { content: 'jour' }, 'stop'),
        delta(0, { content: 'lo' }),
        delta(0, {}, 'length'),
        { choices: [], usage: { prompt_tokens: 5, completion_tokens: 6, total_tokens: 11 } },
      ]),
    );
    expect(parts).toEqual([
      { type: 'text-delta', choiceIndex: 0, delta: 'Hel' },
      { type: 'text-delta', choiceIndex: 1, delta: 'Bon' },
      { type: 'text-delta', choiceIndex: 1, delta: 'jour' },
      { type: 'finish', choiceIndex: 1, finishReason: 'stop' },
      { type: 'text-delta', choiceIndex: 0, delta: 'lo' },
      { type: 'finish', choiceIndex: 0, finishReason: 'length' },
      { type: 'usage', usage: { promptTokens: 5, completionTokens: 6, cachedPromptTokens: 0 } },
    ]);
  });

  it('emits no usage part when the server reports none, and accepts a stream without [DONE]', async () => {
    const parts = await read(body([delta(0, { content: 'Hi' }, 'stop')], { done: false }));
    expect(parts).toEqual([
      { type: 'text-delta', choiceIndex: 0, delta: 'Hi' },
      { type: 'finish', choiceIndex: 0, finishReason: 'stop' },
    ]);
  });

  it("reads Moonshot's usage inside the finishing choice, with its cached_tokens", async () => {
    const parts = await read(
      body([
        {
          choices: [
            {
              index: 0,
              delta: {},
              finish_reason: 'stop',
              usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12, cached_tokens: 7 },
            },
          ],
        },
      ]),
    );
    expect(parts.at(-1)).toEqual({
      type: 'usage',
      usage: { promptTokens: 10, completionTokens: 2, cachedPromptTokens: 7 },
    });
  });

  it('emits one finish per choice even when a server repeats it on the usage chunk', async () => {
    const parts = await read(
      body([
        delta(0, { content: 'Hi' }, 'stop'),
        {
          choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
          usage: { prompt_tokens: 1, completion_tokens: 1 },
        },
      ]),
    );
    expect(parts.map((part) => part.type)).toEqual(['text-delta', 'finish', 'usage']);
  });

  it('turns the legacy function_call into a tool call', async () => {
    const parts = await read(
      body([
        delta(0, { function_call: { name: 'lookup', arguments: '' } }),
        delta(0, { function_call: { arguments: '{"q":' } }),
        delta(0, { function_call: { arguments: '1}' } }),
        delta(0, {}, 'function_call'),
      ]),
    );
    expect(parts).toEqual([
      { type: 'tool-call-start', choiceIndex: 0, toolCallIndex: 0, id: 'call_0_0', name: 'lookup' },
      { type: 'tool-call-delta', choiceIndex: 0, toolCallIndex: 0, argumentsDelta: '{"q":' },
      { type: 'tool-call-delta', choiceIndex: 0, toolCallIndex: 0, argumentsDelta: '1}' },
      { type: 'tool-call-end', choiceIndex: 0, toolCallIndex: 0 },
      { type: 'finish', choiceIndex: 0, finishReason: 'tool_calls' },
    ]);
  });

  it('follows tool calls sent without an index, and whole calls in one delta', async () => {
    const parts = await read(
      body([
        delta(0, { tool_calls: [{ id: 'a', function: { name: 'first', arguments: '{"x":' } }] }),
        delta(0, { tool_calls: [{ function: { arguments: '1}' } }] }),
        delta(0, { tool_calls: [{ id: 'b', function: { name: 'second', arguments: '{}' } }] }),
        delta(0, {}, 'tool_calls'),
      ]),
    );
    const calls = parts.filter((part) => part.type === 'tool-call-start');
    expect(calls).toEqual([
      { type: 'tool-call-start', choiceIndex: 0, toolCallIndex: 0, id: 'a', name: 'first' },
      { type: 'tool-call-start', choiceIndex: 0, toolCallIndex: 1, id: 'b', name: 'second' },
    ]);
    const argumentsOf = (toolCallIndex: number) =>
      parts
        .filter((part) => part.type === 'tool-call-delta' && part.toolCallIndex === toolCallIndex)
        .map((part) => (part.type === 'tool-call-delta' ? part.argumentsDelta : ''))
        .join('');
    expect(argumentsOf(0)).toBe('{"x":1}');
    expect(argumentsOf(1)).toBe('{}');
    expect(parts.filter((part) => part.type === 'tool-call-end')).toHaveLength(2);
  });

  it('ignores fields it does not know, and reads reasoning_content as reasoning', async () => {
    const parts = await read(
      body([
        {
          id: 'x',
          object: 'chat.completion.chunk',
          system_fingerprint: 'fp',
          obfuscation: 'abc',
          choices: [
            {
              index: 0,
              delta: { content: 'Hi', reasoning_content: 'thinking…', token_id: 5 },
              logprobs: null,
              finish_reason: 'stop',
              stop_reason: null,
            },
          ],
        },
      ]),
    );
    expect(parts).toEqual([
      { type: 'reasoning-delta', choiceIndex: 0, delta: 'thinking…' },
      { type: 'text-delta', choiceIndex: 0, delta: 'Hi' },
      { type: 'finish', choiceIndex: 0, finishReason: 'stop' },
    ]);
  });

  it('fails with PROVIDER_STREAM_INTERRUPTED when the stream ends before a finish reason', async () => {
    const error = await failure(body([delta(0, { content: 'Hi' })]));
    expect(error).toMatchObject({ code: 'PROVIDER_STREAM_INTERRUPTED', retryable: true });
    expect((await failure(body([]))).code).toBe('PROVIDER_STREAM_INTERRUPTED');
  });

  it('maps error events: content filter, rate limit, anything else an interruption', async () => {
    const filtered = await failure(body([{ error: { message: 'filtered', code: 'content_filter' } }]));
    expect(filtered).toMatchObject({ code: 'CONTENT_FILTERED', retryable: false });
    const limited = await failure(
      body([{ error: { message: 'slow down', type: 'rate_limit_reached_error' } }]),
    );
    expect(limited).toMatchObject({ code: 'PROVIDER_RATE_LIMITED', retryable: true });
    const broken = await failure(body([{ error: { message: 'boom', type: 'server_error' } }]));
    expect(broken).toMatchObject({ code: 'PROVIDER_STREAM_INTERRUPTED', retryable: true });
    expect(broken.message).toContain('boom');
  });

  it('reports a malformed event as a bad response', async () => {
    expect((await failure(body(['{not json']))).code).toBe('PROVIDER_BAD_RESPONSE');
    expect((await failure(body([{ choices: 'nope' }]))).code).toBe('PROVIDER_BAD_RESPONSE');
  });

  it('turns a body that breaks off into a retryable interruption', async () => {
    const encoder = new TextEncoder();
    let pulls = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls += 1;
        if (pulls === 1)
          controller.enqueue(encoder.encode(`data: ${JSON.stringify(delta(0, { content: 'Hi' }))}\n\n`));
        else controller.error(new TypeError('terminated'));
      },
    });
    const parts: ChatStreamPart[] = [];
    const error = await (async () => {
      for await (const part of readOpenAICompatibleStream(stream, context)) parts.push(part);
    })().catch((caught: unknown) => caught);
    expect(parts).toEqual([{ type: 'text-delta', choiceIndex: 0, delta: 'Hi' }]);
    expect(error).toMatchObject({ code: 'PROVIDER_STREAM_INTERRUPTED', retryable: true });
  });

  it('rethrows the abort reason when the signal was aborted', async () => {
    const controller = new AbortController();
    const reason = new Error('client went away');
    const stream = new ReadableStream<Uint8Array>({
      start(streamController) {
        controller.abort(reason);
        streamController.error(new DOMException('aborted', 'AbortError'));
      },
    });
    const error = await read(stream, { ...context, signal: controller.signal }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBe(reason);
  });

  it('cancels the upstream body when the consumer stops early', async () => {
    let cancelled = false;
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(`data: ${JSON.stringify(delta(0, { content: 'Hi' }))}\n\n`));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const part of readOpenAICompatibleStream(stream, context)) {
      expect(part.type).toBe('text-delta');
      break;
    }
    expect(cancelled).toBe(true);
  });
});
