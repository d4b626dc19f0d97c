import { describe, expect, it } from 'vitest';
import { isPlatformError } from '../../../errors/index.ts';
import { parseWith } from '../parse-body.ts';
import { convertMessagesRequest } from './convert-messages-request.ts';
import { messagesRequestSchema } from './messages-request.ts';

function convert(body: Record<string, unknown>) {
  return convertMessagesRequest(
    parseWith(messagesRequestSchema, {
      model: 'sim/fast',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Hi' }],
      ...body,
    }),
  );
}

function failure(body: Record<string, unknown>): { param: string | null; message: string } {
  try {
    convert(body);
  } catch (error) {
    if (isPlatformError(error) && error.status === 400) return { param: error.param, message: error.message };
    throw error;
  }
  throw new Error('expected a 400');
}

const weatherTool = {
  name: 'get_weather',
  description: 'Weather',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('convertMessagesRequest', () => {
  it('maps the sampling fields, stop sequences, max_tokens and metadata.user_id', () => {
    expect(
      convert({ temperature: 0.3, top_p: 0.9, stop_sequences: ['END'], metadata: { user_id: 'user-7' } }),
    ).toEqual({
      messages: [{ role: 'user', content: 'Hi' }],
      maxTokens: 100,
      temperature: 0.3,
      topP: 0.9,
      stop: ['END'],
      user: 'user-7',
    });
  });

  it('turns the system prompt into a leading system message, ignoring cache_control', () => {
    expect(convert({ system: 'Be brief.' }).messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
    const blocks = convert({
      system: [
        { type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } },
        { type: 'text', text: 'Be kind.' },
      ],
      cache_control: { type: 'ephemeral', ttl: '1h' },
    });
    expect(blocks.messages[0]).toEqual({ role: 'system', content: 'Be brief.\n\nBe kind.' });
    expect(convert({ system: '' }).messages).toHaveLength(1);
  });

  it('keeps text and image blocks as parts, base64 images as data URLs', () => {
    const request = convert({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/a.jpg' } },
          ],
        },
      ],
    });
    expect(request.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image', url: 'data:image/png;base64,AAAA' },
          { type: 'image', url: 'https://example.com/a.jpg' },
        ],
      },
    ]);
    const single = convert({ messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }] });
    expect(single.messages).toEqual([{ role: 'user', content: 'Hi' }]);
  });

  it('turns tool_use blocks into tool calls and tool_result blocks into tool messages', () => {
    const request = convert({
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Let me check.', citations: null },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
            {
              type: 'tool_use',
              id: 'toolu_2',
              name: 'get_weather',
              input: { city: 'Rome' },
              caller: { type: 'direct' },
            },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: '21 °C' },
            {
              type: 'tool_result',
              tool_use_id: 'toolu_2',
              is_error: true,
              content: [{ type: 'text', text: 'timeout' }],
              cache_control: { type: 'ephemeral' },
            },
            { type: 'text', text: 'Summarise, please.' },
          ],
        },
      ],
    });
    expect(request.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: 'Let me check.',
        toolCalls: [
          { id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { id: 'toolu_2', name: 'get_weather', arguments: '{"city":"Rome"}' },
        ],
      },
      { role: 'tool', toolCallId: 'toolu_1', content: '21 °C' },
      { role: 'tool', toolCallId: 'toolu_2', content: 'Tool execution failed: timeout' },
      { role: 'user', content: 'Summarise, please.' },
    ]);
    expect(request.tools).toEqual([
      { name: 'get_weather', description: 'Weather', parameters: weatherTool.input_schema },
    ]);
  });

  it('gives an assistant turn of tool calls only null content, and marks an empty failed result', () => {
    const request = convert({
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'get_weather', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', is_error: true }] },
      ],
    });
    expect(request.messages[1]).toEqual({
      role: 'assistant',
      content: null,
      toolCalls: [{ id: 't1', name: 'get_weather', arguments: '{}' }],
    });
    expect(request.messages[2]).toEqual({
      role: 'tool',
      toolCallId: 't1',
      content: 'Tool execution failed.',
    });
  });

  it('moves images a tool returned into a user message after the tool messages', () => {
    const request = convert({
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'screenshot', input: {} }] },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 't1',
              content: [
                { type: 'text', text: 'Here it is.' },
                { type: 'image', source: { type: 'url', url: 'https://example.com/s.png' } },
              ],
            },
          ],
        },
      ],
    });
    expect(request.messages.slice(2)).toEqual([
      { role: 'tool', toolCallId: 't1', content: 'Here it is.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Images returned by the tool call t1:' },
          { type: 'image', url: 'https://example.com/s.png' },
        ],
      },
    ]);
  });

  it('maps tool_choice auto/any/tool/none and disable_parallel_tool_use', () => {
    const timeTool = { ...weatherTool, name: 'get_time' };
    expect(convert({ tools: [weatherTool], tool_choice: { type: 'auto' } }).toolChoice).toBe('auto');
    expect(convert({ tools: [weatherTool], tool_choice: { type: 'none' } }).toolChoice).toBe('none');
    const any = convert({
      tools: [weatherTool],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
    });
    expect(any).toMatchObject({ toolChoice: 'required', parallelToolCalls: false });
    const named = convert({
      tools: [weatherTool, timeTool],
      tool_choice: { type: 'tool', name: 'get_time' },
    });
    expect(named.toolChoice).toEqual({ name: 'get_time' });
    expect(named.parallelToolCalls).toBeUndefined();
    expect(convert({ tool_choice: { type: 'auto' } }).toolChoice).toBeUndefined();
  });

  it('accepts top_k, and reads thinking and thinking blocks as reasoning, validating known fields', () => {
    // `top_k` reaches Anthropic models only (in the forwarded body); the budget is reasoning for all.
    expect(convert({ top_k: 40, thinking: { type: 'enabled', budget_tokens: 2000 } })).toEqual({
      messages: [{ role: 'user', content: 'Hi' }],
      maxTokens: 100,
      reasoning: { budgetTokens: 2000 },
    });
    expect(convert({ thinking: { type: 'adaptive' } }).reasoning).toEqual({});
    expect(convert({ thinking: { type: 'disabled' } }).reasoning).toBeUndefined();
    expect(convert({ thinking: { type: 'disabled' } }).messages).toHaveLength(1);
    expect(failure({ top_k: -1 }).param).toBe('top_k');
    expect(failure({ thinking: { type: 'enabled', budget_tokens: 10 } }).param).toBe(
      'thinking.budget_tokens',
    );
    const withThinking = convert({
      messages: [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hmm', signature: 'EqQBCgIYAh==' },
            { type: 'redacted_thinking', data: 'EmwKAhgB' },
            { type: 'text', text: 'Sunny.' },
          ],
        },
      ],
    });
    expect(withThinking.messages[1]).toEqual({
      role: 'assistant',
      content: 'Sunny.',
      reasoning: [
        { type: 'thinking', text: 'hmm', signature: 'EqQBCgIYAh==' },
        { type: 'redacted', data: 'EmwKAhgB' },
      ],
    });
  });

  it('reads plain-text documents as text, and keeps PDFs to Anthropic models', () => {
    const text = convert({
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'document',
              title: 'Notes',
              source: { type: 'text', media_type: 'text/plain', data: 'A.' },
            },
            { type: 'text', text: 'Summarise.' },
          ],
        },
      ],
    });
    expect(text.messages[0]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'Notes\n\nA.' },
        { type: 'text', text: 'Summarise.' },
      ],
    });
    expect(text.servableBy).toBeUndefined();
    const pdf = convert({
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Read this.' },
            { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } },
          ],
        },
      ],
    });
    expect(pdf.servableBy).toEqual({
      providers: ['anthropic'],
      param: 'messages[2].content[1].source',
      reason: expect.stringMatching(
        /'base64' document at 'messages\[2\]\.content\[1\]\.source' is read by Anthropic/,
      ),
    });
    expect(
      failure({ messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'base64' } }] }] })
        .param,
    ).toBe('messages[0].content[0].source.media_type');
  });

  it('tolerates unknown top-level and block fields, which other providers drop', () => {
    const converted = convert({
      context_management: { edits: [] },
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi', future_field: 1 }] }],
    });
    expect(converted).toEqual({ messages: [{ role: 'user', content: 'Hi' }], maxTokens: 100 });
  });

  it('refuses what it cannot serve, naming the field', () => {
    expect(
      failure({ tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 2 }] }),
    ).toMatchObject({
      param: 'tools[0].type',
      message: expect.stringMatching(/server tool 'web_search_20250305' is not supported/),
    });
    expect(failure({ tool_choice: { type: 'any' } }).param).toBe('tool_choice');
    expect(failure({ tools: [weatherTool], tool_choice: { type: 'tool', name: 'nope' } }).param).toBe(
      'tool_choice.name',
    );
    expect(failure({ tools: [weatherTool, weatherTool] }).param).toBe('tools[1].name');
  });

  it('rejects malformed bodies with a 400 naming the field', () => {
    expect(failure({ max_tokens: undefined })).toEqual({
      param: 'max_tokens',
      message: "Missing required parameter: 'max_tokens'.",
    });
    expect(failure({ temperature: 1.2 }).param).toBe('temperature');
    expect(failure({ messages: [{ role: 'system', content: 'x' }] }).param).toBe('messages[0].role');
    expect(failure({ messages: [{ role: 'user', content: [] }] }).param).toBe('messages[0].content');
    expect(
      failure({
        messages: [{ role: 'user', content: [{ type: 'search_result', source: 'x' }] }],
      }).param,
    ).toBe('messages[0].content[0].type');
    expect(
      failure({
        messages: [{ role: 'assistant', content: [{ type: 'thinking', thinking: 'hmm' }] }],
      }).param,
    ).toBe('messages[0].content[0].signature');
    expect(failure({ tools: [{ name: 'x', input_schema: { type: 'string' } }] }).param).toBe(
      'tools[0].input_schema.type',
    );
  });
});
