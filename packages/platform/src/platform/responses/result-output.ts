import type { ChatResult, FinishReason } from '../../model/index.ts';
import { reasoningItemOf } from './reasoning-items.ts';
import { newItemId } from './response-identifiers.ts';
import { finishStatus, type OutputItem } from './response-object.ts';

/**
 * The output items of a whole (non-streamed) result: its reasoning blocks, each a `reasoning`
 * item, then its text as one message, then its tool calls.
 */
export function outputOf(result: ChatResult): { output: OutputItem[]; finishReason: FinishReason } {
  const choice = result.choices[0];
  if (!choice) return { output: [], finishReason: 'stop' };
  const { status } = finishStatus(choice.finishReason);
  const output: OutputItem[] = (choice.reasoning ?? []).map((block) => reasoningItemOf(block));
  if (choice.content) {
    output.push({
      id: newItemId('msg'),
      type: 'message',
      status,
      role: 'assistant',
      content: [{ type: 'output_text', text: choice.content, annotations: [], logprobs: [] }],
    });
  }
  for (const call of choice.toolCalls) {
    output.push({
      id: newItemId('fc'),
      type: 'function_call',
      status: 'completed',
      call_id: call.id,
      name: call.name,
      arguments: call.arguments,
    });
  }
  return { output, finishReason: choice.finishReason };
}
