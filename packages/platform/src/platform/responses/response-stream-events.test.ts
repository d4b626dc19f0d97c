import { describe, expect, it } from 'vitest';
import type { ChatContentPart } from '../../gateway/index.ts';
import { ResponseOutputAssembler } from './response-stream-events.ts';

function run(parts: ChatContentPart[]) {
  const assembler = new ResponseOutputAssembler();
  const events = parts.flatMap((part) => assembler.accept(part));
  return { events, output: assembler.output };
}

describe('the output assembler', () => {
  it('opens a message at the first text and closes it before a tool call, which is its own item', () => {
    const { events, output } = run([
      { type: 'text-delta', choiceIndex: 0, delta: 'Let me ' },
      { type: 'text-delta', choiceIndex: 0, delta: 'check.' },
      { type: 'tool-call-start', choiceIndex: 0, toolCallIndex: 0, id: 'call_a', name: 'weather' },
      { type: 'tool-call-start', choiceIndex: 0, toolCallIndex: 1, id: 'call_b', name: 'time' },
      { type: 'tool-call-delta', choiceIndex: 0, toolCallIndex: 0, argumentsDelta: '{"city":' },
      { type: 'tool-call-delta', choiceIndex: 0, toolCallIndex: 1, argumentsDelta: '{}' },
      { type: 'tool-call-delta', choiceIndex: 0, toolCallIndex: 0, argumentsDelta: '"Oslo"}' },
      { type: 'tool-call-end', choiceIndex: 0, toolCallIndex: 0 },
      { type: 'finish', choiceIndex: 0, finishReason: 'tool_calls' },
    ]);
    expect(
      events.map((event) => `${event.type}${'output_index' in event ? `@${event.output_index}` : ''}`),
    ).toEqual([
      'response.output_item.added@0',
      'response.content_part.added@0',
      'response.output_text.delta@0',
      'response.output_text.delta@0',
      'response.output_text.done@0',
      'response.content_part.done@0',
      'response.output_item.done@0',
      'response.output_item.added@1',
      'response.output_item.added@2',
      'response.function_call_arguments.delta@1',
      'response.function_call_arguments.delta@2',
      'response.function_call_arguments.delta@1',
      'response.function_call_arguments.done@1',
      'response.output_item.done@1',
      'response.function_call_arguments.done@2',
      'response.output_item.done@2',
    ]);
    expect(output).toEqual([
      expect.objectContaining({
        type: 'message',
        status: 'completed',
        content: [expect.objectContaining({ text: 'Let me check.' })],
      }),
      expect.objectContaining({
        type: 'function_call',
        call_id: 'call_a',
        arguments: '{"city":"Oslo"}',
        status: 'completed',
      }),
      expect.objectContaining({
        type: 'function_call',
        call_id: 'call_b',
        arguments: '{}',
        status: 'completed',
      }),
    ]);
    // An item handed out in an event does not change afterwards.
    const added = events[0];
    expect(added?.type === 'response.output_item.added' && added.item).toMatchObject({
      status: 'in_progress',
      content: [],
    });
  });

  it('leaves the message incomplete when the output ran out of tokens', () => {
    const { events, output } = run([
      { type: 'text-delta', choiceIndex: 0, delta: 'Once upon' },
      { type: 'finish', choiceIndex: 0, finishReason: 'length' },
    ]);
    expect(events.at(-1)).toMatchObject({
      type: 'response.output_item.done',
      item: { status: 'incomplete' },
    });
    expect(output[0]?.status).toBe('incomplete');
  });
});
