import { providerErrors } from '../../errors/index.ts';
import type { ChatChoice, ChatResult, ToolCall } from '../../model/index.ts';
import { mapOpenAICompatibleFinishReason } from './map-openai-compatible-finish-reason.ts';
import { type OpenAIChatChoice, openAIChatResponseSchema } from './openai-compatible-api.ts';
import { readOpenAICompatibleUsage } from './read-openai-compatible-usage.ts';

/** What parsing needs besides the body. */
export interface ResponseContext {
  provider: string;
  /** The model we asked for, when the server does not say which one answered. */
  requestedModel: string;
  describeContentFilter?: (annotations: unknown) => string | undefined;
}

/**
 * Converts a Chat Completions body to our result. When every choice was stopped by a content
 * filter before producing anything, there is no answer to return: that is a CONTENT_FILTERED
 * error. A choice cut off by a filter after some output keeps its output and says so.
 */
export function parseOpenAICompatibleResponse(json: unknown, context: ResponseContext): ChatResult {
  const parsed = openAIChatResponseSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw providerErrors.badResponse(
      context.provider,
      `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'does not match the Chat Completions format'}`,
    );
  }
  const body = parsed.data;
  const choices = body.choices.map((choice, position) => convertChoice(choice, position));
  const filtered = body.choices.filter((_, position) => isEmptyFilteredChoice(choices[position]!));
  if (filtered.length > 0 && filtered.length === choices.length) {
    const reason = filtered
      .map((choice) => context.describeContentFilter?.(choice.content_filter_results))
      .find((description) => description !== undefined);
    throw providerErrors.contentFiltered(
      context.provider,
      reason ?? 'the output was blocked by a content filter',
    );
  }
  return {
    ...(body.id ? { providerResponseId: body.id } : {}),
    model: body.model || context.requestedModel,
    choices,
    usage: readOpenAICompatibleUsage(body.usage),
  };
}

function convertChoice(choice: OpenAIChatChoice, position: number): ChatChoice {
  const index = choice.index ?? position;
  const toolCalls: ToolCall[] = (choice.message?.tool_calls ?? []).map((call, callIndex) => ({
    id: call.id || `call_${index}_${callIndex}`,
    name: call.function?.name ?? '',
    arguments: call.function?.arguments ?? '',
  }));
  const legacy = choice.message?.function_call;
  if (legacy?.name) {
    toolCalls.push({
      id: `call_${index}_${toolCalls.length}`,
      name: legacy.name,
      arguments: legacy.arguments ?? '',
    });
  }
  const reasoning = choice.message?.reasoning_content;
  return {
    index,
    content: choice.message?.content ?? null,
    toolCalls,
    finishReason: mapOpenAICompatibleFinishReason(choice.finish_reason),
    ...(reasoning ? { reasoning: [{ type: 'thinking', text: reasoning }] } : {}),
  };
}

function isEmptyFilteredChoice(choice: ChatChoice): boolean {
  return choice.finishReason === 'content_filter' && !choice.content && choice.toolCalls.length === 0;
}
