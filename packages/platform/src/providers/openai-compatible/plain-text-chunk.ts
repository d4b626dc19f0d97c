import type { OpenAIChatChunk } from './openai-compatible-api.ts';

function isNullish(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

function isOptionalString(value: unknown): boolean {
  return isNullish(value) || typeof value === 'string';
}

function isPlainTextChoice(choice: unknown): boolean {
  if (typeof choice !== 'object' || choice === null) return false;
  const { index, delta, finish_reason: finishReason, usage } = choice as Record<string, unknown>;
  if (!(isNullish(index) || typeof index === 'number')) return false;
  if (!isOptionalString(finishReason) || !isNullish(usage)) return false;
  if (isNullish(delta)) return true;
  if (typeof delta !== 'object') return false;
  const { content, tool_calls: toolCalls, function_call: functionCall } = delta as Record<string, unknown>;
  return isOptionalString(content) && isNullish(toolCalls) && isNullish(functionCall);
}

/**
 * Whether a parsed stream event is the common case, text deltas and finish reasons with no usage,
 * tool calls or error, checked by hand. Such a chunk already has the schema's shape (the fields
 * it reads are checked; others are never read), so the hot path skips the full schema, which would
 * otherwise run a hundred times per answer; anything else goes through `openAIChatChunkSchema`.
 */
export function isPlainTextChunk(json: unknown): json is OpenAIChatChunk {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  const { id, model, choices, usage, error } = json as Record<string, unknown>;
  if (!isOptionalString(id) || !isOptionalString(model)) return false;
  if (!isNullish(usage) || error !== undefined) return false;
  if (isNullish(choices)) return true;
  return Array.isArray(choices) && choices.every(isPlainTextChoice);
}
