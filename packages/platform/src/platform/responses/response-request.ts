import { z } from 'zod';
import { knowledgeExtensionSchema } from '../wire/index.ts';

/**
 * The body of `POST /v1/responses` (OpenAI's Responses API), shared by every transport that
 * carries it (HTTP with JSON or SSE, and WebSocket mode's `response.create` messages). Strict like
 * chat completions: an unknown field is a 400 that names it. Shorthands are normalised while
 * parsing — a string `input` becomes one user message, string content becomes one text part, a
 * message without `type` is a `message` — so the service and the stored input items see one
 * shape, and an error names the exact field at fault.
 */

const functionName = z
  .string()
  .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must be 1-64 characters of a-z, A-Z, 0-9, underscores and dashes');

const inputText = z.strictObject({ type: z.literal('input_text'), text: z.string() });
const inputImage = z.strictObject({
  type: z.literal('input_image'),
  image_url: z.string().min(1, 'give the image as a URL or a data: URL'),
  detail: z.enum(['auto', 'low', 'high']).optional(),
  file_id: z.null({ message: 'file ids are not supported yet; send the image as image_url' }).optional(),
});
const outputText = z.strictObject({
  type: z.literal('output_text'),
  text: z.string(),
  annotations: z.array(z.unknown()).optional(),
  logprobs: z.array(z.unknown()).optional(),
});
const refusal = z.strictObject({ type: z.literal('refusal'), refusal: z.string() });

const itemStatus = z.enum(['in_progress', 'completed', 'incomplete']);

/** String content is one text part: `input_text`, or `output_text` for the assistant. */
function normaliseMessage(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const message = value as Record<string, unknown>;
  if (typeof message.content !== 'string') return message;
  const type = message.role === 'assistant' ? 'output_text' : 'input_text';
  return { ...message, content: [{ type, text: message.content }] };
}

const messageItem = z.strictObject({
  type: z.literal('message'),
  role: z.enum(['user', 'system', 'developer', 'assistant']),
  content: z.array(z.discriminatedUnion('type', [inputText, inputImage, outputText, refusal])),
  id: z.string().min(1).optional(),
  status: itemStatus.optional(),
  phase: z.string().nullish(),
});

const functionCallItem = z.strictObject({
  type: z.literal('function_call'),
  call_id: z.string().min(1),
  name: functionName,
  arguments: z.string(),
  id: z.string().min(1).optional(),
  status: itemStatus.optional(),
});

const functionCallOutputItem = z.strictObject({
  type: z.literal('function_call_output'),
  call_id: z.string().min(1),
  output: z.union([z.string(), z.array(z.discriminatedUnion('type', [inputText, inputImage]))]),
  id: z.string().min(1).optional(),
  status: itemStatus.optional(),
});

/** Reasoning sent back: its text, and the opaque content that lets a provider verify it. */
const reasoningItem = z.strictObject({
  type: z.literal('reasoning'),
  id: z.string().min(1).optional(),
  summary: z.array(z.strictObject({ type: z.literal('summary_text'), text: z.string() })),
  content: z.array(z.strictObject({ type: z.literal('reasoning_text'), text: z.string() })).nullish(),
  encrypted_content: z.string().nullish(),
  status: itemStatus.optional(),
});

/** A message without `type` is a message (the "easy input message" of OpenAI's reference). */
function normaliseItem(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const item = value as Record<string, unknown>;
  const typed = item.type === undefined && 'role' in item ? { ...item, type: 'message' } : item;
  return typed.type === 'message' ? normaliseMessage(typed) : typed;
}

/** One input item (also what `POST /v1/conversations/{id}/items` adds). */
export const responseInputItemSchema = z.preprocess(
  normaliseItem,
  z.discriminatedUnion('type', [messageItem, functionCallItem, functionCallOutputItem, reasoningItem]),
);

const functionTool = z.strictObject({
  type: z.literal('function'),
  name: functionName,
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

const toolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.strictObject({ type: z.literal('function'), name: functionName }),
]);

const textFormat = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text') }),
  z.strictObject({ type: z.literal('json_object') }),
  z.strictObject({
    type: z.literal('json_schema'),
    name: functionName,
    schema: z.record(z.string(), z.unknown()),
    description: z.string().optional(),
    strict: z.boolean().nullish(),
  }),
]);

/** A string `input` is one user message. */
function inputAsItems(value: unknown): unknown {
  return typeof value === 'string'
    ? [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: value }] }]
    : value;
}

export const metadataSchema = z
  .record(
    z.string().max(64, 'keys are at most 64 characters'),
    z.string().max(512, 'values are at most 512 characters'),
  )
  .refine((record) => Object.keys(record).length <= 16, 'at most 16 pairs');

export const responseCreateRequestSchema = z.strictObject({
  model: z.string().min(1),
  input: z.preprocess(inputAsItems, z.array(responseInputItemSchema).min(1)),
  instructions: z.string().nullish(),
  tools: z
    .array(z.discriminatedUnion('type', [functionTool]))
    .max(128)
    .optional(),
  tool_choice: toolChoice.optional(),
  parallel_tool_calls: z.boolean().nullish(),
  text: z
    .strictObject({
      format: textFormat.optional(),
      verbosity: z.enum(['low', 'medium', 'high']).nullish(),
    })
    .optional(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_output_tokens: z.number().int().min(16).nullish(),
  reasoning: z
    .strictObject({
      effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']).nullish(),
      summary: z.enum(['auto', 'concise', 'detailed']).nullish(),
    })
    .nullish(),
  metadata: metadataSchema.nullish(),
  user: z.string().max(256).optional(),
  store: z.boolean().nullish(),
  previous_response_id: z.string().min(1).nullish(),
  truncation: z.enum(['auto', 'disabled']).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.strictObject({ include_obfuscation: z.boolean().optional() }).nullish(),
  include: z.array(z.string()).nullish(),
  background: z.boolean().nullish(),
  conversation: z
    .union([z.string().min(1).max(128), z.strictObject({ id: z.string().min(1).max(128) })])
    .nullish(),
  service_tier: z.string().nullish(),
  prompt_cache_key: z.string().optional(),
  safety_identifier: z.string().max(256).optional(),
  /** The platform's extension: `knowledge_bases` to ground the answer in (see docs/knowledge-bases.md, "Chat"). */
  kimi: knowledgeExtensionSchema.optional(),
});

export type ResponseCreateRequest = z.output<typeof responseCreateRequestSchema>;
export type ResponseInputItem = ResponseCreateRequest['input'][number];
export type ResponseFunctionTool = NonNullable<ResponseCreateRequest['tools']>[number];
export type ResponseTextFormat = NonNullable<NonNullable<ResponseCreateRequest['text']>['format']>;
