import { describe, expect, it } from 'vitest';
import { itemsToMessages, toChatRequest } from './convert-response-input.ts';
import { responseCreateRequestSchema } from './response-request.ts';

const parse = (body: Record<string, unknown>) =>
  responseCreateRequestSchema.parse({ model: 'sim/fast', ...body });

describe('Responses input → the internal request', () => {
  it('joins the function calls of a turn into one assistant message, and outputs into tool messages', () => {
    const body = parse({
      instructions: 'Be brief.',
      input: [
        { role: 'user', content: 'Weather and time in Oslo?' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.' }] },
        { type: 'function_call', call_id: 'call_a', name: 'weather', arguments: '{}' },
        { type: 'function_call', call_id: 'call_b', name: 'time', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_a', output: 'grey' },
        { type: 'function_call_output', call_id: 'call_b', output: [{ type: 'input_text', text: '12:00' }] },
      ],
    });
    expect(toChatRequest(body, []).messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather and time in Oslo?' },
      {
        role: 'assistant',
        content: 'Checking.',
        toolCalls: [
          { id: 'call_a', name: 'weather', arguments: '{}' },
          { id: 'call_b', name: 'time', arguments: '{}' },
        ],
      },
      { role: 'tool', toolCallId: 'call_a', content: 'grey' },
      { role: 'tool', toolCallId: 'call_b', content: '12:00' },
    ]);
  });

  it('puts the rebuilt history between the instructions and the new input', () => {
    const history = itemsToMessages(
      [{ type: 'function_call', call_id: 'c', name: 'f', arguments: '{}' }],
      () => 'x',
    );
    const request = toChatRequest(parse({ input: 'Next.', instructions: 'Sys.' }), history);
    expect(request.messages.map((message) => message.role)).toEqual(['system', 'assistant', 'user']);
  });

  it('maps the parameters', () => {
    const request = toChatRequest(
      parse({
        input: 'Hi',
        tools: [{ type: 'function', name: 'f', parameters: { type: 'object' }, strict: true }],
        tool_choice: { type: 'function', name: 'f' },
        parallel_tool_calls: false,
        text: { format: { type: 'json_object' } },
        temperature: 0,
        top_p: 0.5,
        max_output_tokens: 100,
        user: 'u',
      }),
      [],
    );
    expect(request).toMatchObject({
      tools: [{ name: 'f', parameters: { type: 'object' }, strict: true }],
      toolChoice: { name: 'f' },
      parallelToolCalls: false,
      responseFormat: { type: 'json_object' },
      temperature: 0,
      topP: 0.5,
      maxTokens: 100,
      user: 'u',
    });
  });

  it('names the field of a request it cannot serve', () => {
    expect(() =>
      toChatRequest(
        parse({
          input: 'Hi',
          tools: [{ type: 'function', name: 'f' }],
          tool_choice: { type: 'function', name: 'g' },
        }),
        [],
      ),
    ).toThrow(expect.objectContaining({ param: 'tool_choice.name' }));
    expect(() =>
      toChatRequest(parse({ input: [{ role: 'user', content: [{ type: 'refusal', refusal: 'no' }] }] }), []),
    ).toThrow(expect.objectContaining({ param: 'input[0].content[0].type' }));
  });
});
