import { providerErrors } from '../../errors/index.ts';
import type { ChatResult, ReasoningBlock, ToolCall } from '../../model/index.ts';
import { anthropicResponseSchema } from './anthropic-api.ts';
import { providerName } from './anthropic-error.ts';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.ts';
import { mapAnthropicUsage } from './map-anthropic-usage.ts';

/**
 * A Messages API response as our result: text blocks joined into the content, `tool_use` blocks
 * as tool calls with their input as JSON text, `thinking` and `redacted_thinking` blocks as
 * reasoning with their signature and data as received. Server-tool blocks are not part of the
 * answer the caller asked for.
 */
export function convertAnthropicResponse(body: unknown, requestedModel: string): ChatResult {
  const parsed = anthropicResponseSchema.safeParse(body);
  if (!parsed.success) {
    throw providerErrors.badResponse(providerName, parsed.error.issues[0]?.message ?? 'not a message');
  }
  const response = parsed.data;
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  const reasoning: ReasoningBlock[] = [];
  for (const block of response.content) {
    if (block.type === 'thinking') {
      reasoning.push({
        type: 'thinking',
        text: block.thinking ?? '',
        ...(typeof block.signature === 'string' ? { signature: block.signature } : {}),
      });
    }
    if (block.type === 'redacted_thinking' && typeof block.data === 'string') {
      reasoning.push({ type: 'redacted', data: block.data });
    }
    if (block.type === 'text') texts.push(block.text ?? '');
    if (block.type === 'tool_use') {
      if (!block.id || !block.name)
        throw providerErrors.badResponse(providerName, 'a tool_use block lacks its id or name');
      toolCalls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) });
    }
  }
  return {
    ...(response.id ? { providerResponseId: response.id } : {}),
    model: response.model ?? requestedModel,
    choices: [
      {
        index: 0,
        content: texts.length > 0 ? texts.join('') : null,
        toolCalls,
        finishReason: mapAnthropicFinishReason(response.stop_reason),
        ...(reasoning.length > 0 ? { reasoning } : {}),
      },
    ],
    usage: response.usage ? mapAnthropicUsage(response.usage) : null,
  };
}
