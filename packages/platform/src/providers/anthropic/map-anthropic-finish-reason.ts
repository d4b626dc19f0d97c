import type { FinishReason } from '../../model/index.ts';

/**
 * Anthropic's `stop_reason` as our finish reason. `pause_turn` (a server tool paused a long turn)
 * ends this answer like a normal stop; unknown or missing reasons do too.
 */
export function mapAnthropicFinishReason(stopReason: string | null | undefined): FinishReason {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}
