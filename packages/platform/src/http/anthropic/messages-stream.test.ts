import { describe, expect, it } from 'vitest';
import type { ChatContentPart } from '../../gateway/index.ts';
import { MessageStreamEncoder, type MessageStreamEvent } from './messages-stream.ts';

const usage = { promptTokens: 10, completionTokens: 4, cachedPromptTokens: 0 };

function encode(parts: ChatContentPart[]): MessageStreamEvent[] {
  const encoder = new MessageStreamEncoder('msg_1');
  return [
    encoder.start('sim/fast'),
    ...parts.flatMap((part) => encoder.part(part)),
    ...encoder.finish(usage),
  ];
}

function deltaText(delta: Extract<MessageStreamEvent, { type: 'content_block_delta' }>['delta']): string {
  switch (delta.type) {
    case 'text_delta':
      return delta.text;
    case 'input_json_delta':
      return delta.partial_json;
    case 'thinking_delta':
      return delta.thinking;
    case 'signature_delta':
      return `signature ${delta.signature}`;
  }
}

function summary(events: MessageStreamEvent[]): string[] {
  return events.map((event) => {
    switch (event.type) {
      case 'content_block_start':
        return `start ${event.index} ${event.content_block.type}`;
      case 'content_block_delta':
        return `delta ${event.index} ${deltaText(event.delta)}`;
      case 'content_block_stop':
        return `stop ${event.index}`;
      case 'message_delta':
        return `message_delta ${event.delta.stop_reason}`;
      default:
        return event.type;
    }
  });
}

const text = (delta: string): ChatContentPart => ({ type: 'text-delta', choiceIndex: 0, delta });
const toolStart = (toolCallIndex: number, name: string): ChatContentPart => ({
  type: 'tool-call-start',
  choiceIndex: 0,
  toolCallIndex,
  id: `call_${toolCallIndex}`,
  name,
});
const toolDelta = (toolCallIndex: number, argumentsDelta: string): ChatContentPart => ({
  type: 'tool-call-delta',
  choiceIndex: 0,
  toolCallIndex,
  argumentsDelta,
});
const toolEnd = (toolCallIndex: number): ChatContentPart => ({
  type: 'tool-call-end',
  choiceIndex: 0,
  toolCallIndex,
});

describe('MessageStreamEncoder', () => {
  it('streams thinking blocks first, each closed by its signature, and redacted thinking whole', () => {
    const signature = 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds+Gr/2ahLN2f0hWc2==';
    const events = encode([
      { type: 'reasoning-delta', choiceIndex: 0, delta: 'Think' },
      { type: 'reasoning-delta', choiceIndex: 0, delta: 'ing.' },
      { type: 'reasoning-signature', choiceIndex: 0, signature },
      { type: 'reasoning-redacted', choiceIndex: 0, data: 'EmwKAhgB' },
      text('Answer.'),
      toolStart(0, 'f'),
      toolDelta(0, '{}'),
      toolEnd(0),
      { type: 'finish', choiceIndex: 0, finishReason: 'tool_calls' },
    ]);
    expect(summary(events)).toEqual([
      'message_start',
      'start 0 thinking',
      'delta 0 Think',
      'delta 0 ing.',
      `delta 0 signature ${signature}`,
      'stop 0',
      'start 1 redacted_thinking',
      'stop 1',
      'start 2 text',
      'delta 2 Answer.',
      'stop 2',
      'start 3 tool_use',
      'delta 3 {}',
      'stop 3',
      'message_delta tool_use',
      'message_stop',
    ]);
    expect(events).toContainEqual({
      type: 'content_block_start',
      index: 1,
      content_block: { type: 'redacted_thinking', data: 'EmwKAhgB' },
    });
  });

  it('streams one text block between message_start and message_stop, with usage at the end', () => {
    const events = encode([
      text('Hel'),
      text(''),
      text('lo'),
      { type: 'finish', choiceIndex: 0, finishReason: 'stop' },
    ]);
    expect(summary(events)).toEqual([
      'message_start',
      'start 0 text',
      'delta 0 Hel',
      'delta 0 lo',
      'stop 0',
      'message_delta end_turn',
      'message_stop',
    ]);
    expect(events[0]).toMatchObject({
      message: { id: 'msg_1', model: 'sim/fast', content: [], stop_reason: null, usage: { input_tokens: 0 } },
    });
    expect(events.at(-2)).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: {
        input_tokens: 10,
        output_tokens: 4,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      },
    });
  });

  it('puts text first and each tool call in its own block after it', () => {
    const events = encode([
      text('Checking.'),
      toolStart(0, 'get_weather'),
      toolDelta(0, '{"city":'),
      toolDelta(0, '"Oslo"}'),
      toolEnd(0),
      toolStart(1, 'get_time'),
      toolDelta(1, '{}'),
      toolEnd(1),
      { type: 'finish', choiceIndex: 0, finishReason: 'tool_calls' },
    ]);
    expect(summary(events)).toEqual([
      'message_start',
      'start 0 text',
      'delta 0 Checking.',
      'stop 0',
      'start 1 tool_use',
      'delta 1 {"city":',
      'delta 1 "Oslo"}',
      'stop 1',
      'start 2 tool_use',
      'delta 2 {}',
      'stop 2',
      'message_delta tool_use',
      'message_stop',
    ]);
    expect(events[4]).toEqual({
      type: 'content_block_start',
      index: 1,
      content_block: { type: 'tool_use', id: 'call_0', name: 'get_weather', input: {} },
    });
  });

  it('serialises interleaved tool calls: later blocks wait until the earlier one stops', () => {
    const events = encode([
      toolStart(0, 'a'),
      toolStart(1, 'b'),
      toolDelta(1, '{"y":2}'),
      toolDelta(0, '{"x":1}'),
      toolEnd(1),
      toolEnd(0),
      { type: 'finish', choiceIndex: 0, finishReason: 'tool_calls' },
    ]);
    expect(summary(events)).toEqual([
      'message_start',
      'start 0 tool_use',
      'delta 0 {"x":1}',
      'stop 0',
      'start 1 tool_use',
      'delta 1 {"y":2}',
      'stop 1',
      'message_delta tool_use',
      'message_stop',
    ]);
  });

  it('closes blocks a provider left open, reports tool_use for a stop with tool calls, ignores other choices', () => {
    const events = encode([
      toolStart(0, 'a'),
      toolDelta(0, '{}'),
      text('after'),
      { type: 'text-delta', choiceIndex: 1, delta: 'other choice' },
    ]);
    expect(summary(events)).toEqual([
      'message_start',
      'start 0 tool_use',
      'delta 0 {}',
      'stop 0',
      'start 1 text',
      'delta 1 after',
      'stop 1',
      'message_delta tool_use',
      'message_stop',
    ]);
  });

  it('sends no content block for an empty answer', () => {
    const events = encode([{ type: 'finish', choiceIndex: 0, finishReason: 'length' }]);
    expect(summary(events)).toEqual(['message_start', 'message_delta max_tokens', 'message_stop']);
  });
});
