import {
  type ChatRequest,
  type ResponseFormat,
  reasoningEffortOf,
  type ToolChoice,
  type ToolDefinition,
} from '../../model/index.ts';
import { convertToOpenAICompatibleMessages } from './convert-to-openai-compatible-messages.ts';
import type {
  OpenAIChatRequest,
  OpenAIResponseFormat,
  OpenAITool,
  OpenAIToolChoice,
} from './openai-compatible-api.ts';

/** Which body field carries the output token limit. */
export type MaxTokensField = 'max_tokens' | 'max_completion_tokens';

/** Sampling parameters a model may fix, so that sending them is an error at the provider. */
export type SamplingParameter = 'temperature' | 'top_p' | 'n' | 'presence_penalty' | 'frequency_penalty';

/** How one model wants its requests written. */
export interface RequestConventions {
  maxTokensField: MaxTokensField;
  /** Left out of the body even when the caller set them. */
  omittedParameters: readonly SamplingParameter[];
  /** Ask for the final usage chunk in streams (`stream_options.include_usage`). */
  includeStreamUsage: boolean;
  /** The model takes `reasoning_effort`; others are sent no reasoning setting. */
  reasoningEffort?: boolean;
}

/** Builds the Chat Completions body for our request; `stream` adds the streaming fields. */
export function convertToOpenAICompatibleRequest(
  request: ChatRequest,
  conventions: RequestConventions,
  stream: boolean,
): OpenAIChatRequest {
  const body: OpenAIChatRequest = {
    model: request.model,
    messages: convertToOpenAICompatibleMessages(request.messages),
  };
  const tools = request.tools ?? [];
  if (tools.length > 0) {
    body.tools = tools.map(convertTool);
    // Why: OpenAI rejects parallel_tool_calls when no tools are sent.
    if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  }
  if (request.toolChoice !== undefined) body.tool_choice = convertToolChoice(request.toolChoice);
  const responseFormat = convertResponseFormat(request.responseFormat);
  if (responseFormat !== undefined) body.response_format = responseFormat;

  const omitted = new Set(conventions.omittedParameters);
  const sampling: Record<SamplingParameter, number | undefined> = {
    temperature: request.temperature,
    top_p: request.topP,
    n: request.n,
    presence_penalty: request.presencePenalty,
    frequency_penalty: request.frequencyPenalty,
  };
  for (const [name, value] of Object.entries(sampling) as Array<[SamplingParameter, number | undefined]>) {
    if (value !== undefined && !omitted.has(name)) body[name] = value;
  }
  if (request.maxTokens !== undefined) body[conventions.maxTokensField] = request.maxTokens;
  if (request.stop !== undefined && request.stop.length > 0) body.stop = request.stop;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.reasoning && conventions.reasoningEffort) {
    body.reasoning_effort = reasoningEffortOf(request.reasoning);
  }
  if (request.user !== undefined) body.user = request.user;
  if (stream) {
    body.stream = true;
    if (conventions.includeStreamUsage) body.stream_options = { include_usage: true };
  }
  return body;
}

function convertTool(tool: ToolDefinition): OpenAITool {
  return {
    type: 'function',
    function: {
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      parameters: tool.parameters,
      ...(tool.strict === undefined ? {} : { strict: tool.strict }),
    },
  };
}

function convertToolChoice(choice: ToolChoice): OpenAIToolChoice {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}

function convertResponseFormat(format: ResponseFormat | undefined): OpenAIResponseFormat | undefined {
  if (format === undefined || format.type === 'text') return undefined;
  if (format.type === 'json_object') return { type: 'json_object' };
  return {
    type: 'json_schema',
    json_schema: {
      name: format.name,
      schema: format.schema,
      ...(format.strict === undefined ? {} : { strict: format.strict }),
      ...(format.description === undefined ? {} : { description: format.description }),
    },
  };
}
