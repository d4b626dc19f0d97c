import { describe, expect, it } from 'vitest';
import { itemsToMessages, toChatRequest } from './convert-response-input.ts';
import { reasoningBlockOf, reasoningItemOf } from './reasoning-items.ts';
import { responseCreateRequestSchema } from './response-request.ts';
import { ResponseOutputAssembler } from './response-stream-events.ts';

const signature = 'EuYBCkQYAiJAgCs1le6/Pol5Z4+/==';

describe('reasoning as Responses items', () => {
  it('carries a signed block in encrypted_content and reads it back byte for byte', () => {
    const item = reasoningItemOf({ type: 'thinking', text: 'Think: 2 + 2 = 4.', signature });
    expect(item).toMatchObject({
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: 'Think: 2 + 2 = 4.' }],
      status: 'completed',
    });
    expect(item.id).toMatch(/^rs_/);
    expect(item.encrypted_content).toMatch(/^kimi\.reasoning\.v1\./);
    // The client's copy comes back (through JSON) with the same content.
    const returned = JSON.parse(JSON.stringify(item)) as typeof item;
    expect(reasoningBlockOf(returned)).toEqual({ type: 'thinking', text: 'Think: 2 + 2 = 4.', signature });
    const redacted = reasoningItemOf({ type: 'redacted', data: 'EmwKAhgB' });
    expect(redacted.summary).toEqual([]);
    expect(reasoningBlockOf(redacted)).toEqual({ type: 'redacted', data: 'EmwKAhgB' });
  });

  it('reads reasoning it did not write as unsigned text, and unsigned thinking has no encrypted content', () => {
    const unsigned = reasoningItemOf({ type: 'thinking', text: 'plain' });
    expect(unsigned.encrypted_content).toBeNull();
    expect(reasoningBlockOf(unsigned)).toEqual({ type: 'thinking', text: 'plain' });
    const foreign = {
      type: 'reasoning' as const,
      id: 'rs_1',
      summary: [{ type: 'summary_text' as const, text: 'OpenAI summary' }],
      encrypted_content: 'gAAAAABo-openai-encrypted',
    };
    expect(reasoningBlockOf(foreign)).toEqual({ type: 'thinking', text: 'OpenAI summary' });
    expect(
      reasoningBlockOf({ ...foreign, summary: [], encrypted_content: 'kimi.reasoning.v1.@@' }),
    ).toBeUndefined();
  });

  it('puts reasoning items on the assistant turn that follows them, and reads reasoning.effort', () => {
    const thought = reasoningItemOf({ type: 'thinking', text: 'Call the tool.', signature });
    const body = responseCreateRequestSchema.parse({
      model: 'sim/fast',
      reasoning: { effort: 'high', summary: 'auto' },
      input: [
        { role: 'user', content: 'Weather in Oslo?' },
        thought,
        { type: 'function_call', call_id: 'call_a', name: 'weather', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_a', output: 'grey' },
      ],
    });
    const request = toChatRequest(body, []);
    expect(request.reasoning).toEqual({ effort: 'high' });
    expect(request.messages[1]).toEqual({
      role: 'assistant',
      content: null,
      toolCalls: [{ id: 'call_a', name: 'weather', arguments: '{}' }],
      reasoning: [{ type: 'thinking', text: 'Call the tool.', signature }],
    });
    const none = responseCreateRequestSchema.parse({
      model: 'sim/fast',
      input: 'Hi',
      reasoning: { effort: 'none' },
    });
    expect(toChatRequest(none, []).reasoning).toBeUndefined();
    // Reasoning with no assistant turn after it has nothing to ride on.
    expect(
      itemsToMessages(
        [{ role: 'user', content: [{ type: 'input_text', text: 'Hi' }], type: 'message' }, thought],
        String,
      ),
    ).toEqual([{ role: 'user', content: 'Hi' }]);
  });

  it('streams each reasoning block as a reasoning item with summary events, closed by its signature', () => {
    const assembler = new ResponseOutputAssembler();
    const events = [
      { type: 'reasoning-delta', choiceIndex: 0, delta: 'Let me ' },
      { type: 'reasoning-delta', choiceIndex: 0, delta: 'think.' },
      { type: 'reasoning-signature', choiceIndex: 0, signature },
      { type: 'reasoning-redacted', choiceIndex: 0, data: 'EmwKAhgB' },
      { type: 'text-delta', choiceIndex: 0, delta: 'Four.' },
      { type: 'finish', choiceIndex: 0, finishReason: 'stop' },
    ].flatMap((part) => assembler.accept(part as Parameters<ResponseOutputAssembler['accept']>[0]));
    expect(
      events.map((event) => `${event.type}${'output_index' in event ? `@${event.output_index}` : ''}`),
    ).toEqual([
      'response.output_item.added@0',
      'response.reasoning_summary_part.added@0',
      'response.reasoning_summary_text.delta@0',
      'response.reasoning_summary_text.delta@0',
      'response.reasoning_summary_text.done@0',
      'response.reasoning_summary_part.done@0',
      'response.output_item.done@0',
      'response.output_item.added@1',
      'response.output_item.done@1',
      'response.output_item.added@2',
      'response.content_part.added@2',
      'response.output_text.delta@2',
      'response.output_text.done@2',
      'response.content_part.done@2',
      'response.output_item.done@2',
    ]);
    expect(events.find((event) => event.type === 'response.reasoning_summary_text.done')).toMatchObject({
      summary_index: 0,
      text: 'Let me think.',
    });
    const [thinking, redacted] = assembler.output;
    expect(thinking?.type === 'reasoning' && reasoningBlockOf(thinking)).toEqual({
      type: 'thinking',
      text: 'Let me think.',
      signature,
    });
    expect(redacted?.type === 'reasoning' && reasoningBlockOf(redacted)).toEqual({
      type: 'redacted',
      data: 'EmwKAhgB',
    });
    // An item handed out in an event never changes afterwards.
    const added = events[0] as { item: { summary: unknown[]; status?: string } };
    expect(added.item).toMatchObject({ summary: [], status: 'in_progress' });
  });

  it('closes unsigned reasoning (an OpenAI-compatible thinking model) when the answer starts', () => {
    const assembler = new ResponseOutputAssembler();
    const events = [
      { type: 'reasoning-delta', choiceIndex: 0, delta: 'hmm' },
      { type: 'tool-call-start', choiceIndex: 0, toolCallIndex: 0, id: 'call_1', name: 'weather' },
      { type: 'tool-call-end', choiceIndex: 0, toolCallIndex: 0 },
      { type: 'finish', choiceIndex: 0, finishReason: 'tool_calls' },
    ].flatMap((part) => assembler.accept(part as Parameters<ResponseOutputAssembler['accept']>[0]));
    expect(events.filter((event) => event.type === 'response.output_item.done')).toHaveLength(2);
    expect(assembler.output[0]).toMatchObject({
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: 'hmm' }],
      encrypted_content: null,
      status: 'completed',
    });
  });
});
