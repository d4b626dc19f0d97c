import type { FinishReason } from '../../model/index.ts';

/**
 * Maps a wire `finish_reason` to ours. `function_call` is the pre-tools name for a tool call;
 * `eos` is what Together and some local servers send for a natural stop. Anything unknown (or
 * missing, as some servers leave it) counts as a normal stop: the text is complete as far as we
 * can tell, and refusing the answer would help nobody.
 */
export function mapOpenAICompatibleFinishReason(finishReason: string | null | undefined): FinishReason {
  switch (finishReason) {
    case 'length':
    case 'max_tokens':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'content_filter':
      return 'content_filter';
    default:
      return 'stop';
  }
}
