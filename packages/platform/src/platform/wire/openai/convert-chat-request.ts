import { errors, requireUniqueNames } from '../../../errors/index.ts';
import type {
  ChatMessage,
  ChatRequest,
  ContentPart,
  JsonSchema,
  ResponseFormat,
  ToolChoice,
  ToolDefinition,
} from '../../../model/index.ts';
import type { ChatCompletionRequestBody, OpenAIMessage } from './chat-completion-request.ts';

function joinText(
  content: string | ReadonlyArray<{ type: string; text?: string; refusal?: string }>,
): string {
  if (typeof content === 'string') return content;
  return content.map((part) => part.text ?? part.refusal ?? '').join('');
}

function convertMessage(message: OpenAIMessage): ChatMessage {
  switch (message.role) {
    case 'system':
    case 'developer':
      return { role: 'system', content: joinText(message.content) };
    case 'user': {
      const content: string | ContentPart[] =
        typeof message.content === 'string'
          ? message.content
          : message.content.map((part) =>
              part.type === 'text'
                ? { type: 'text', text: part.text }
                : {
                    type: 'image',
                    url: part.image_url.url,
                    ...(part.image_url.detail ? { detail: part.image_url.detail } : {}),
                  },
            );
      return { role: 'user', content, ...(message.name ? { name: message.name } : {}) };
    }
    case 'assistant':
      return {
        role: 'assistant',
        content: message.content === undefined || message.content === null ? null : joinText(message.content),
        ...(message.tool_calls?.length
          ? {
              toolCalls: message.tool_calls.map((call) => ({
                id: call.id,
                name: call.function.name,
                arguments: call.function.arguments,
              })),
            }
          : {}),
      };
    case 'tool':
      return { role: 'tool', toolCallId: message.tool_call_id, content: joinText(message.content) };
  }
}

function convertTools(body: ChatCompletionRequestBody): ToolDefinition[] | undefined {
  if (!body.tools) return undefined;
  requireUniqueNames(
    body.tools.map((tool) => tool.function.name),
    (index) => `tools[${index}].function.name`,
  );
  return body.tools.map((tool) => ({
    name: tool.function.name,
    ...(tool.function.description === undefined ? {} : { description: tool.function.description }),
    parameters: (tool.function.parameters as JsonSchema | undefined) ?? { type: 'object', properties: {} },
    ...(tool.function.strict ? { strict: true } : {}),
  }));
}

function convertToolChoice(
  body: ChatCompletionRequestBody,
  tools: ToolDefinition[] | undefined,
): ToolChoice | undefined {
  const choice = body.tool_choice;
  if (choice === undefined) return undefined;
  if (!tools || tools.length === 0) {
    if (choice === 'none' || choice === 'auto') return undefined;
    throw errors.invalidRequest('tool_choice', "'tool_choice' is only allowed when 'tools' are specified.");
  }
  if (typeof choice === 'string') return choice;
  if (!tools.some((tool) => tool.name === choice.function.name)) {
    throw errors.invalidRequest(
      'tool_choice.function.name',
      `The tool '${choice.function.name}' named in 'tool_choice' is not among the 'tools'.`,
    );
  }
  return { name: choice.function.name };
}

function convertResponseFormat(body: ChatCompletionRequestBody): ResponseFormat | undefined {
  const format = body.response_format;
  if (!format) return undefined;
  if (format.type !== 'json_schema') return format;
  return {
    type: 'json_schema',
    name: format.json_schema.name,
    schema: (format.json_schema.schema as JsonSchema | undefined) ?? { type: 'object' },
    ...(format.json_schema.strict ? { strict: true } : {}),
    ...(format.json_schema.description === undefined ? {} : { description: format.json_schema.description }),
  };
}

/** OpenAI wire body → the internal request (without `model`, which routing fills in). */
export function convertChatRequest(body: ChatCompletionRequestBody): Omit<ChatRequest, 'model'> {
  if (body.stream_options && !body.stream) {
    throw errors.invalidRequest('stream_options', "'stream_options' is only allowed when 'stream' is true.");
  }
  const tools = convertTools(body);
  const toolChoice = convertToolChoice(body, tools);
  const responseFormat = convertResponseFormat(body);
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  const request: Omit<ChatRequest, 'model'> = { messages: body.messages.map(convertMessage) };
  if (tools && tools.length > 0) request.tools = tools;
  if (toolChoice !== undefined) request.toolChoice = toolChoice;
  if (body.parallel_tool_calls !== undefined) request.parallelToolCalls = body.parallel_tool_calls;
  if (responseFormat && responseFormat.type !== 'text') request.responseFormat = responseFormat;
  if (body.temperature != null) request.temperature = body.temperature;
  if (body.top_p != null) request.topP = body.top_p;
  if (maxTokens != null) request.maxTokens = maxTokens;
  if (body.stop != null) request.stop = typeof body.stop === 'string' ? [body.stop] : body.stop;
  if (body.seed != null) request.seed = body.seed;
  if (body.reasoning_effort != null) request.reasoning = { effort: body.reasoning_effort };
  if (body.user !== undefined) request.user = body.user;
  if (body.n != null && body.n > 1) request.n = body.n;
  if (body.presence_penalty != null) request.presencePenalty = body.presence_penalty;
  if (body.frequency_penalty != null) request.frequencyPenalty = body.frequency_penalty;
  return request;
}
