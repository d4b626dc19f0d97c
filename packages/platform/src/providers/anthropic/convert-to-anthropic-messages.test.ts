import { describe, expect, it } from 'vitest';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.ts';

describe('convertToAnthropicMessages', () => {
  it('hoists every system message, in order, to top-level text blocks', () => {
    const prompt = convertToAnthropicMessages([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'system', content: 'Answer in French.' },
      { role: 'assistant', content: 'Bonjour' },
    ]);
    expect(prompt.system).toEqual([
      { type: 'text', text: 'Be brief.' },
      { type: 'text', text: 'Answer in French.' },
    ]);
    expect(prompt.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Bonjour' }] },
    ]);
  });

  it('sends a single system message as a string, and none when there is none', () => {
    expect(convertToAnthropicMessages([{ role: 'system', content: 'One.' }]).system).toBe('One.');
    expect(convertToAnthropicMessages([{ role: 'user', content: 'Hi' }]).system).toBeUndefined();
  });

  it('merges consecutive turns of one role so user and assistant alternate', () => {
    const prompt = convertToAnthropicMessages([
      { role: 'user', content: 'First.' },
      { role: 'system', content: 'Between.' },
      { role: 'user', content: 'Second.' },
      { role: 'assistant', content: 'A.' },
      { role: 'assistant', content: 'B.' },
      { role: 'user', content: 'Third.' },
    ]);
    expect(prompt.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'First.' },
          { type: 'text', text: 'Second.' },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'A.' },
          { type: 'text', text: 'B.' },
        ],
      },
      { role: 'user', content: [{ type: 'text', text: 'Third.' }] },
    ]);
  });

  it('sends tool calls as tool_use blocks and groups consecutive tool results in one user turn', () => {
    const prompt = convertToAnthropicMessages([
      { role: 'user', content: 'Weather in Paris and time in Tokyo?' },
      {
        role: 'assistant',
        content: 'Checking.',
        toolCalls: [
          { id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { id: 'call_2', name: 'get_time', arguments: '{"city":"Tokyo"}' },
        ],
      },
      { role: 'tool', toolCallId: 'call_1', content: '18°C' },
      { role: 'tool', toolCallId: 'call_2', content: '21:00' },
      { role: 'user', content: 'Thanks, and?' },
    ]);
    expect(prompt.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and time in Tokyo?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'get_time', input: { city: 'Tokyo' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: '18°C' },
          { type: 'tool_result', tool_use_id: 'call_2', content: '21:00' },
          { type: 'text', text: 'Thanks, and?' },
        ],
      },
    ]);
  });

  it('puts tool results before other content in a merged user turn', () => {
    const prompt = convertToAnthropicMessages([
      { role: 'assistant', content: null, toolCalls: [{ id: 'call_1', name: 'f', arguments: '{}' }] },
      { role: 'user', content: 'Also this.' },
      { role: 'tool', toolCallId: 'call_1', content: 'done' },
    ]);
    expect(prompt.messages[1]).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'call_1', content: 'done' },
        { type: 'text', text: 'Also this.' },
      ],
    });
  });

  it('sends empty arguments as an empty input and skips an assistant message with nothing in it', () => {
    const prompt = convertToAnthropicMessages([
      { role: 'user', content: 'Go' },
      { role: 'assistant', content: null },
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'now', arguments: '' }] },
    ]);
    expect(prompt.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Go' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'call_1', name: 'now', input: {} }] },
    ]);
  });

  it('rejects tool call arguments that are not a JSON object, naming the message', () => {
    const convert = (text: string) =>
      convertToAnthropicMessages([
        { role: 'user', content: 'Go' },
        { role: 'assistant', content: null, toolCalls: [{ id: 'call_1', name: 'f', arguments: text }] },
      ]);
    for (const text of ['{"city": "Par', '[1,2]', '42']) {
      expect(() => convert(text)).toThrow(
        expect.objectContaining({ code: 'INVALID_REQUEST', status: 400, param: 'messages[1].tool_calls' }),
      );
    }
  });

  it('converts text and image parts of a user message', () => {
    const prompt = convertToAnthropicMessages([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare these.' },
          { type: 'image', url: 'data:image/jpeg;base64,/9j/4AAQ' },
          { type: 'image', url: 'https://example.com/cat.png', detail: 'high' },
        ],
      },
    ]);
    expect(prompt.messages[0]?.content).toEqual([
      { type: 'text', text: 'Compare these.' },
      { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
    ]);
  });

  it('names the image part it cannot send', () => {
    expect(() =>
      convertToAnthropicMessages([
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello' },
        { role: 'user', content: [{ type: 'image', url: 'data:image/bmp;base64,Qk0=' }] },
      ]),
    ).toThrow(
      expect.objectContaining({ code: 'INVALID_REQUEST', param: 'messages[2].content[0].image_url' }),
    );
  });
});
