import { errors, requireUniqueNames } from '../../errors/index.ts';
import type {
  ChatMessage,
  ChatRequest,
  ContentPart,
  JsonSchema,
  ReasoningBlock,
  ResponseFormat,
  ToolChoice,
  ToolDefinition,
} from '../../model/index.ts';
import { reasoningBlockOf } from './reasoning-items.ts';
import type { OutputItem, StoredInputItem } from './response-object.ts';
import type { ResponseCreateRequest, ResponseInputItem } from './response-request.ts';

/** An item of a conversation: what a client sent, or what a model answered. */
export type ConversationItem = ResponseInputItem | StoredInputItem | OutputItem;

type MessageItem = Extract<ResponseInputItem, { type: 'message' }>;

function messageText(item: MessageItem): string {
  return item.content
    .map((part) => (part.type === 'refusal' ? part.refusal : part.type === 'input_image' ? '' : part.text))
    .join('');
}

function userContent(item: MessageItem, where: string): string | ContentPart[] {
  const parts: ContentPart[] = item.content.map((part, index) => {
    if (part.type === 'input_image') {
      return { type: 'image', url: part.image_url, ...(part.detail ? { detail: part.detail } : {}) };
    }
    if (part.type === 'refusal') {
      throw errors.invalidRequest(
        `${where}.content[${index}].type`,
        "A 'refusal' part belongs to an assistant message.",
      );
    }
    return { type: 'text', text: part.text };
  });
  if (parts.length === 1 && parts[0]?.type === 'text') return parts[0].text;
  return parts;
}

function toolOutput(
  item: Extract<ResponseInputItem, { type: 'function_call_output' }>,
  where: string,
): string {
  if (typeof item.output === 'string') return item.output;
  return item.output
    .map((part, index) => {
      if (part.type === 'input_image') {
        throw errors.invalidRequest(
          `${where}.output[${index}]`,
          'Images in a function call output are not supported.',
          'Return the tool result as text.',
        );
      }
      return part.text;
    })
    .join('');
}

/**
 * Conversation items → internal chat messages. A `function_call` joins the assistant message
 * before it (or starts one), so the calls of one turn are one assistant message, as every
 * provider expects; its `call_id` is the internal tool call id that the output names. A
 * `reasoning` item belongs to the assistant turn that follows it, so its blocks ride on that
 * message. `where(index)` names an item in errors (e.g. `input[2]`).
 */
export function itemsToMessages(
  items: readonly ConversationItem[],
  where: (index: number) => string,
): ChatMessage[] {
  const messages: ChatMessage[] = [];
  let reasoning: ReasoningBlock[] = [];
  /** The reasoning read so far, for the assistant message it precedes. */
  const takeReasoning = () => {
    const taken = reasoning;
    reasoning = [];
    return taken.length > 0 ? { reasoning: taken } : {};
  };
  items.forEach((item, index) => {
    switch (item.type) {
      case 'reasoning': {
        const block = reasoningBlockOf(item);
        if (block) reasoning.push(block);
        break;
      }
      case 'message': {
        const message = item as MessageItem;
        if (message.role === 'system' || message.role === 'developer') {
          messages.push({ role: 'system', content: messageText(message) });
        } else if (message.role === 'assistant') {
          messages.push({ role: 'assistant', content: messageText(message), ...takeReasoning() });
        } else {
          messages.push({ role: 'user', content: userContent(message, where(index)) });
        }
        break;
      }
      case 'function_call': {
        const call = { id: item.call_id, name: item.name, arguments: item.arguments };
        const last = messages.at(-1);
        const pending = takeReasoning();
        if (last?.role === 'assistant' && !pending.reasoning) {
          last.toolCalls = [...(last.toolCalls ?? []), call];
        } else messages.push({ role: 'assistant', content: null, toolCalls: [call], ...pending });
        break;
      }
      case 'function_call_output':
        messages.push({ role: 'tool', toolCallId: item.call_id, content: toolOutput(item, where(index)) });
        break;
    }
  });
  return messages;
}

function convertTools(body: ResponseCreateRequest): ToolDefinition[] | undefined {
  if (!body.tools || body.tools.length === 0) return undefined;
  requireUniqueNames(
    body.tools.map((tool) => tool.name),
    (index) => `tools[${index}].name`,
  );
  return body.tools.map((tool) => ({
    name: tool.name,
    ...(tool.description ? { description: tool.description } : {}),
    parameters: (tool.parameters as JsonSchema | null | undefined) ?? { type: 'object', properties: {} },
    ...(tool.strict ? { strict: true } : {}),
  }));
}

function convertToolChoice(
  body: ResponseCreateRequest,
  tools: ToolDefinition[] | undefined,
): ToolChoice | undefined {
  const choice = body.tool_choice;
  if (choice === undefined) return undefined;
  if (!tools) {
    if (choice === 'none' || choice === 'auto') return undefined;
    throw errors.invalidRequest('tool_choice', "'tool_choice' is only allowed when 'tools' are specified.");
  }
  if (typeof choice === 'string') return choice;
  if (!tools.some((tool) => tool.name === choice.name)) {
    throw errors.invalidRequest(
      'tool_choice.name',
      `The tool '${choice.name}' named in 'tool_choice' is not among the 'tools'.`,
    );
  }
  return { name: choice.name };
}

function convertFormat(body: ResponseCreateRequest): ResponseFormat | undefined {
  const format = body.text?.format;
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json_object') return format;
  return {
    type: 'json_schema',
    name: format.name,
    schema: format.schema as JsonSchema,
    ...(format.strict ? { strict: true } : {}),
    ...(format.description === undefined ? {} : { description: format.description }),
  };
}

/**
 * The internal request of a response: `instructions` first (never carried over from an earlier
 * response, as OpenAI documents), then the rebuilt `history`, then this request's input.
 */
export function toChatRequest(
  body: ResponseCreateRequest,
  history: readonly ChatMessage[],
): Omit<ChatRequest, 'model'> {
  const tools = convertTools(body);
  const toolChoice = convertToolChoice(body, tools);
  const format = convertFormat(body);
  const messages: ChatMessage[] = [
    ...(body.instructions ? [{ role: 'system' as const, content: body.instructions }] : []),
    ...history,
    ...itemsToMessages(body.input, (index) => `input[${index}]`),
  ];
  const request: Omit<ChatRequest, 'model'> = { messages };
  if (tools) request.tools = tools;
  if (toolChoice !== undefined) request.toolChoice = toolChoice;
  if (body.parallel_tool_calls != null) request.parallelToolCalls = body.parallel_tool_calls;
  if (format) request.responseFormat = format;
  if (body.temperature != null) request.temperature = body.temperature;
  if (body.top_p != null) request.topP = body.top_p;
  if (body.max_output_tokens != null) request.maxTokens = body.max_output_tokens;
  if (body.user !== undefined) request.user = body.user;
  const effort = body.reasoning?.effort;
  if (effort && effort !== 'none') request.reasoning = { effort };
  request.passthrough = { openaiResponses: { fields: nativeFields(body) } };
  return request;
}

/**
 * The Responses fields the internal request does not model, for providers called on their own
 * Responses endpoint (OpenAI, Azure OpenAI); every other provider goes without them.
 */
function nativeFields(body: ResponseCreateRequest): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (body.text?.verbosity) fields.text = { verbosity: body.text.verbosity };
  if (body.reasoning?.summary) fields.reasoning = { summary: body.reasoning.summary };
  if (body.metadata) fields.metadata = body.metadata;
  if (body.prompt_cache_key !== undefined) fields.prompt_cache_key = body.prompt_cache_key;
  if (body.safety_identifier !== undefined) fields.safety_identifier = body.safety_identifier;
  if (body.service_tier) fields.service_tier = body.service_tier;
  if (body.truncation) fields.truncation = body.truncation;
  if (body.include && body.include.length > 0) fields.include = body.include;
  return fields;
}
