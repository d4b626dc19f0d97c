import { describe, expect, it } from 'vitest';
import {
  messageId,
  toAnthropicMessage,
  toAnthropicUsage,
  toStopReason,
  toToolInput,
} from './messages-response.ts';

describe('toStopReason', () => {
  it('maps every internal finish reason', () => {
    expect(toStopReason('stop', false)).toBe('end_turn');
    expect(toStopReason('length', false)).toBe('max_tokens');
    expect(toStopReason('tool_calls', true)).toBe('tool_use');
    expect(toStopReason('content_filter', false)).toBe('refusal');
  });

  it('reports tool_use when a provider says stop but called tools', () => {
    expect(toStopReason('stop', true)).toBe('tool_use');
  });
});

describe('toAnthropicUsage', () => {
  it('counts cache reads and writes apart from input_tokens', () => {
    expect(toAnthropicUsage({ promptTokens: 100, completionTokens: 7, cachedPromptTokens: 60 })).toEqual({
      input_tokens: 40,
      output_tokens: 7,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 60,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    });
    expect(
      toAnthropicUsage({
        promptTokens: 100,
        completionTokens: 7,
        cachedPromptTokens: 10,
        cacheWritePromptTokens: 50,
        cacheWriteOneHourPromptTokens: 20,
      }),
    ).toEqual({
      input_tokens: 40,
      output_tokens: 7,
      cache_creation_input_tokens: 50,
      cache_read_input_tokens: 10,
      cache_creation: { ephemeral_5m_input_tokens: 30, ephemeral_1h_input_tokens: 20 },
    });
  });
});

describe('toToolInput', () => {
  it('parses JSON objects, reads empty arguments as none, and keeps anything else raw', () => {
    expect(toToolInput('{"city":"Paris"}')).toEqual({ city: 'Paris' });
    expect(toToolInput('')).toEqual({});
    expect(toToolInput('  ')).toEqual({});
    expect(toToolInput('{"city":')).toEqual({ _raw: '{"city":' });
    expect(toToolInput('[1,2]')).toEqual({ _raw: '[1,2]' });
    expect(toToolInput('null')).toEqual({ _raw: 'null' });
  });
});

describe('toAnthropicMessage', () => {
  const usage = { promptTokens: 12, completionTokens: 5, cachedPromptTokens: 0 };

  it('builds a message with a text block first and tool_use blocks after', () => {
    const message = toAnthropicMessage(
      {
        model: 'fast',
        usage,
        choices: [
          {
            index: 0,
            content: 'Checking.',
            toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' }],
            finishReason: 'tool_calls',
          },
        ],
      },
      { id: messageId('req_abc'), model: 'sim/fast', usage },
    );
    expect(message).toEqual({
      id: 'msg_abc',
      type: 'message',
      role: 'assistant',
      model: 'sim/fast',
      content: [
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Oslo' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: {
        input_tokens: 12,
        output_tokens: 5,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      },
    });
  });

  it('leaves out an empty text block', () => {
    const message = toAnthropicMessage(
      { model: 'fast', usage, choices: [{ index: 0, content: '', toolCalls: [], finishReason: 'length' }] },
      { id: 'msg_x', model: 'sim/fast', usage },
    );
    expect(message.content).toEqual([]);
    expect(message.stop_reason).toBe('max_tokens');
  });
});
