import { providerErrors } from '../../errors/index.ts';
import type { ChatResult, FinishReason, ReasoningBlock, TokenUsage, ToolCall } from '../../model/index.ts';
import {
  type OpenAIResponsesObject,
  type OpenAIResponsesOutputItem,
  type OpenAIResponsesUsage,
  openAIResponsesObjectSchema,
} from './openai-responses-api.ts';

/** The usage of a response in our terms; null when the provider gave none. */
export function readOpenAIResponsesUsage(usage: OpenAIResponsesUsage | null | undefined): TokenUsage | null {
  if (!usage || typeof usage.input_tokens !== 'number' || typeof usage.output_tokens !== 'number')
    return null;
  return {
    promptTokens: usage.input_tokens,
    completionTokens: usage.output_tokens,
    cachedPromptTokens: usage.input_tokens_details?.cached_tokens ?? 0,
  };
}

/** `incomplete` for a token limit or a filter; tool calls when the output has any; else `stop`. */
export function finishReasonOf(response: OpenAIResponsesObject, calledTools: boolean): FinishReason {
  if (response.status === 'incomplete') {
    return response.incomplete_details?.reason === 'content_filter' ? 'content_filter' : 'length';
  }
  return calledTools ? 'tool_calls' : 'stop';
}

/** A reasoning item as a block: its summary as the text, its encrypted content as OpenAI's signature. */
export function reasoningBlockOf(item: OpenAIResponsesOutputItem, provider: string): ReasoningBlock {
  const text = (item.summary ?? []).map((part) => part.text ?? '').join('\n\n');
  return {
    type: 'thinking',
    text,
    ...(item.encrypted_content ? { signature: item.encrypted_content, provider } : {}),
    ...(item.id ? { itemId: item.id } : {}),
  };
}

/** A failed response, or one the provider could not finish, as the error it is. */
export function failureOf(response: OpenAIResponsesObject, provider: string): Error | undefined {
  if (response.status !== 'failed') return undefined;
  const message = response.error?.message ?? 'the response failed';
  return response.error?.code === 'rate_limit_exceeded'
    ? providerErrors.rateLimited(provider, message)
    : providerErrors.unavailable(provider, message);
}

/** A Responses body (a 200 from POST /responses) as our result: one choice. */
export function parseOpenAIResponsesResult(
  json: unknown,
  provider: string,
  requestedModel: string,
): ChatResult {
  const parsed = openAIResponsesObjectSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw providerErrors.badResponse(
      provider,
      `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'does not match the Responses format'}`,
    );
  }
  const response = parsed.data;
  const failure = failureOf(response, provider);
  if (failure) throw failure;
  const text: string[] = [];
  const toolCalls: ToolCall[] = [];
  const reasoning: ReasoningBlock[] = [];
  for (const item of response.output ?? []) {
    if (item.type === 'message') {
      for (const part of item.content ?? []) text.push(part.text ?? part.refusal ?? '');
    } else if (item.type === 'function_call') {
      toolCalls.push({
        id: item.call_id ?? item.id ?? '',
        name: item.name ?? '',
        arguments: item.arguments ?? '',
      });
    } else if (item.type === 'reasoning') {
      reasoning.push(reasoningBlockOf(item, provider));
    }
  }
  return {
    ...(response.id ? { providerResponseId: response.id } : {}),
    model: response.model || requestedModel,
    choices: [
      {
        index: 0,
        content: text.length > 0 ? text.join('') : null,
        toolCalls,
        finishReason: finishReasonOf(response, toolCalls.length > 0),
        ...(reasoning.length > 0 ? { reasoning } : {}),
      },
    ],
    usage: readOpenAIResponsesUsage(response.usage),
  };
}
