import { describe, expect, it } from 'vitest';
import { convertToOpenAICompatibleMessages } from './convert-to-openai-compatible-messages.ts';

describe('convertToOpenAICompatibleMessages', () => {
  it('converts every role, multi-part user content, tool calls and tool results', () => {
    expect(
      convertToOpenAICompatibleMessages([
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          name: 'ada',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', url: 'https://example.com/cat.png', detail: 'low' },
            { type: 'image', url: 'data:image/png;base64,iVBORw0KGgo=' },
          ],
        },
        {
          role: 'assistant',
          content: null,
          toolCalls: [{ id: 'call_1', name: 'lookup', arguments: '{"q":"cat"}' }],
        },
        { role: 'tool', toolCallId: 'call_1', content: '{"animal":"cat"}' },
        { role: 'assistant', content: null },
        { role: 'assistant', content: 'A cat.', name: 'helper' },
      ]),
    ).toEqual([
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        name: 'ada',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'low' } },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"cat"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"animal":"cat"}' },
      { role: 'assistant', content: '' },
      { role: 'assistant', content: 'A cat.', name: 'helper' },
    ]);
  });
});
