import {
  type AssistantMessage,
  type ChatMessage,
  type ChatRequest,
  type ContentPart,
  type ResponseFormat,
  reasoningEffortOf,
} from '../../model/index.ts';
import type { RequestConventions } from './convert-to-openai-compatible-request.ts';

const encryptedReasoning = 'reasoning.encrypted_content';

type InputItem = Record<string, unknown>;

function userContent(content: string | ContentPart[]): string | InputItem[] {
  if (typeof content === 'string') return content;
  return content.map((part) =>
    part.type === 'text'
      ? { type: 'input_text', text: part.text }
      : { type: 'input_image', image_url: part.url, detail: part.detail ?? 'auto' },
  );
}

/**
 * An assistant turn as Responses items: its reasoning (only what this provider encrypted — a
 * signature verifies nowhere else), its text, then its calls.
 */
function assistantItems(message: AssistantMessage, provider: string): InputItem[] {
  const items: InputItem[] = [];
  for (const block of message.reasoning ?? []) {
    if (block.type !== 'thinking' || block.provider !== provider || !block.signature || !block.itemId)
      continue;
    items.push({
      type: 'reasoning',
      id: block.itemId,
      summary: block.text === '' ? [] : [{ type: 'summary_text', text: block.text }],
      encrypted_content: block.signature,
    });
  }
  if (message.content) items.push({ role: 'assistant', content: message.content });
  for (const call of message.toolCalls ?? []) {
    items.push({ type: 'function_call', call_id: call.id, name: call.name, arguments: call.arguments });
  }
  return items;
}

function inputItems(message: ChatMessage, provider: string): InputItem[] {
  if (message.role === 'assistant') return assistantItems(message, provider);
  if (message.role === 'tool') {
    return [{ type: 'function_call_output', call_id: message.toolCallId, output: message.content }];
  }
  if (message.role === 'user') return [{ role: 'user', content: userContent(message.content) }];
  return [{ role: 'system', content: message.content }];
}

/** Our messages as Responses `input` items. */
export function convertToOpenAIResponsesInput(
  messages: readonly ChatMessage[],
  provider: string,
): InputItem[] {
  return messages.flatMap((message) => inputItems(message, provider));
}

function textFormat(format: ResponseFormat | undefined): InputItem | undefined {
  if (format === undefined || format.type === 'text') return undefined;
  if (format.type === 'json_object') return { type: 'json_object' };
  return {
    type: 'json_schema',
    name: format.name,
    schema: format.schema,
    ...(format.strict === undefined ? {} : { strict: format.strict }),
    ...(format.description === undefined ? {} : { description: format.description }),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The body for a provider's own Responses endpoint: the request as Responses input and fields,
 * with the Responses-only fields the caller sent laid over it, and `store: false` — the platform,
 * not the provider, keeps the conversation, so a reasoning model is asked for its encrypted
 * reasoning to send back next turn. Sampling parameters the model fixes are left out.
 */
export function buildOpenAIResponsesRequest(
  request: ChatRequest & { model: string },
  conventions: RequestConventions,
  provider: string,
  stream: boolean,
): Record<string, unknown> {
  const fields = request.passthrough?.openaiResponses?.fields ?? {};
  const omitted = new Set(conventions.omittedParameters);
  const body: Record<string, unknown> = {
    ...fields,
    model: request.model,
    input: convertToOpenAIResponsesInput(request.messages, provider),
    store: false,
  };
  if (request.tools && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({
      type: 'function',
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      parameters: tool.parameters,
      strict: tool.strict ?? false,
    }));
    if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  }
  const choice = request.toolChoice;
  if (choice !== undefined)
    body.tool_choice = typeof choice === 'string' ? choice : { type: 'function', name: choice.name };
  const format = textFormat(request.responseFormat);
  const text = isRecord(fields.text) ? fields.text : {};
  if (format || Object.keys(text).length > 0) body.text = { ...text, ...(format ? { format } : {}) };
  if (request.temperature !== undefined && !omitted.has('temperature'))
    body.temperature = request.temperature;
  if (request.topP !== undefined && !omitted.has('top_p')) body.top_p = request.topP;
  if (request.maxTokens !== undefined) body.max_output_tokens = request.maxTokens;
  if (request.user !== undefined) body.user = request.user;
  const summary = isRecord(fields.reasoning) ? fields.reasoning.summary : undefined;
  if (conventions.reasoningEffort) {
    if (request.reasoning || summary) {
      body.reasoning = {
        ...(request.reasoning ? { effort: reasoningEffortOf(request.reasoning) } : {}),
        ...(summary ? { summary } : {}),
      };
    }
    const include = Array.isArray(fields.include) ? fields.include : [];
    body.include = include.includes(encryptedReasoning) ? include : [...include, encryptedReasoning];
  } else {
    delete body.reasoning;
  }
  if (stream) body.stream = true;
  return body;
}
