import { errors } from '../../errors/index.ts';
import { type ChatRequest, type ResponseFormat, thinkingBudgetOf } from '../../model/index.ts';
import type { AnthropicRequest, AnthropicTextBlock } from './anthropic-api.ts';
import type { AnthropicModelSettings } from './anthropic-models.ts';
import { convertToolChoice, convertTools } from './convert-anthropic-tools.ts';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.ts';

/** The first API version without `temperature` and `top_p` (https://platform.claude.com/docs/en/api/versioning). */
const samplingRemovedInVersion = '2026-10-21';

/** Why: Anthropic has no JSON mode without a schema; this is the instruction that asks for one. */
export const jsonObjectInstruction =
  'Respond with a single valid JSON object and nothing else: no prose, no code fences.';

export interface BuildOptions {
  model: AnthropicModelSettings;
  stream: boolean;
  /** The `anthropic-version` header the request goes out with. */
  version: string;
}

/**
 * Our chat request as a Messages API request body. Options Anthropic cannot honour are rejected
 * with the field named, never dropped or changed: that would silently change the answer.
 */
export function buildAnthropicRequest(request: ChatRequest, options: BuildOptions): AnthropicRequest {
  rejectUnsupported(request, options.version);
  const prompt = convertToAnthropicMessages(request.messages);
  const tools = convertTools(request.tools);
  const toolChoice = convertToolChoice(request.toolChoice, request.parallelToolCalls, tools !== undefined);
  const system = withResponseFormatInstruction(prompt.system, request.responseFormat);
  const outputFormat = convertResponseFormat(request.responseFormat);
  const maxTokens = request.maxTokens ?? options.model.maxOutputTokens;
  const thinking = thinkingOf(request, options.model, maxTokens);
  return {
    model: options.model.id,
    max_tokens: maxTokens,
    messages: prompt.messages,
    ...(system === undefined ? {} : { system }),
    ...(tools === undefined ? {} : { tools }),
    ...(toolChoice === undefined ? {} : { tool_choice: toolChoice }),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.topP === undefined ? {} : { top_p: request.topP }),
    ...(request.stop === undefined || request.stop.length === 0 ? {} : { stop_sequences: request.stop }),
    ...(request.user === undefined ? {} : { metadata: { user_id: request.user } }),
    ...(outputFormat === undefined ? {} : { output_config: { format: outputFormat } }),
    ...(thinking === undefined ? {} : { thinking }),
    ...(options.stream ? { stream: true } : {}),
  };
}

/**
 * Extended thinking for a request that asks to reason (an effort or a budget). Anthropic refuses
 * thinking beside a forced tool or changed sampling, and needs the budget below `max_tokens`; the
 * request is then served without thinking rather than refused, since reasoning is a preference
 * and the caller's other settings are not.
 */
function thinkingOf(
  request: ChatRequest,
  model: AnthropicModelSettings,
  maxTokens: number,
): AnthropicRequest['thinking'] {
  if (!request.reasoning || !model.capabilities.reasoning) return undefined;
  const forcedTool = request.toolChoice === 'required' || typeof request.toolChoice === 'object';
  const sampling = request.temperature !== undefined || request.topP !== undefined;
  if (forcedTool || sampling) return undefined;
  const budget = thinkingBudgetOf(request.reasoning, maxTokens);
  return budget === undefined ? undefined : { type: 'enabled', budget_tokens: budget };
}

function rejectUnsupported(request: ChatRequest, version: string): void {
  if (request.n !== undefined && request.n > 1) {
    throw errors.invalidRequest('n', 'Anthropic models return one choice per request; set n to 1.');
  }
  if (request.temperature !== undefined && request.temperature > 1) {
    throw errors.invalidRequest(
      'temperature',
      `Anthropic accepts a temperature between 0 and 1; got ${request.temperature}.`,
    );
  }
  if (version >= samplingRemovedInVersion) {
    for (const [param, value] of [
      ['temperature', request.temperature],
      ['top_p', request.topP],
    ] as const) {
      if (value !== undefined) {
        throw errors.invalidRequest(param, `Anthropic API version ${version} does not accept '${param}'.`);
      }
    }
  }
  for (const [param, value] of [
    ['presence_penalty', request.presencePenalty],
    ['frequency_penalty', request.frequencyPenalty],
  ] as const) {
    if (value !== undefined && value !== 0) {
      throw errors.invalidRequest(param, `Anthropic models do not support '${param}'; leave it unset or 0.`);
    }
  }
}

function convertResponseFormat(
  format: ResponseFormat | undefined,
): NonNullable<AnthropicRequest['output_config']>['format'] | undefined {
  if (format?.type !== 'json_schema') return undefined;
  return { type: 'json_schema', schema: format.schema };
}

function withResponseFormatInstruction(
  system: string | AnthropicTextBlock[] | undefined,
  format: ResponseFormat | undefined,
): string | AnthropicTextBlock[] | undefined {
  if (format?.type !== 'json_object') return system;
  if (system === undefined) return jsonObjectInstruction;
  const blocks: AnthropicTextBlock[] = typeof system === 'string' ? [{ type: 'text', text: system }] : system;
  return [...blocks, { type: 'text', text: jsonObjectInstruction }];
}
