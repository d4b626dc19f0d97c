import { z } from 'zod';

/*
 * The Anthropic Messages API wire format (POST /v1/messages), per the API reference at
 * https://platform.claude.com/docs/en/api/messages and the official TypeScript SDK's types.
 * Requests are strict: what we send must be exactly what we mean. Responses are lenient: Anthropic
 * adds fields, block types and event types within an API version, so unknown ones must not break us.
 */

const imageSourceSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('base64'),
    media_type: z.enum(['image/jpeg', 'image/png', 'image/gif', 'image/webp']),
    data: z.string().min(1),
  }),
  z.strictObject({ type: z.literal('url'), url: z.string().url() }),
]);

const textBlockSchema = z.strictObject({ type: z.literal('text'), text: z.string() });
const imageBlockSchema = z.strictObject({ type: z.literal('image'), source: imageSourceSchema });
const toolUseBlockSchema = z.strictObject({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
});
const toolResultBlockSchema = z.strictObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z.string(),
});

const userContentBlockSchema = z.discriminatedUnion('type', [
  textBlockSchema,
  imageBlockSchema,
  toolResultBlockSchema,
]);
/** Thinking sent back with its signature (or its encrypted data) exactly as Anthropic wrote it. */
const thinkingBlockSchema = z.strictObject({
  type: z.literal('thinking'),
  thinking: z.string(),
  signature: z.string().min(1),
});
const redactedThinkingBlockSchema = z.strictObject({
  type: z.literal('redacted_thinking'),
  data: z.string().min(1),
});

const assistantContentBlockSchema = z.discriminatedUnion('type', [
  thinkingBlockSchema,
  redactedThinkingBlockSchema,
  textBlockSchema,
  toolUseBlockSchema,
]);

const messageParamSchema = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('user'), content: z.array(userContentBlockSchema).min(1) }),
  z.strictObject({ role: z.literal('assistant'), content: z.array(assistantContentBlockSchema).min(1) }),
]);

const toolChoiceSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.strictObject({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.strictObject({
    type: z.literal('tool'),
    name: z.string().min(1),
    disable_parallel_tool_use: z.boolean().optional(),
  }),
  z.strictObject({ type: z.literal('none') }),
]);

const toolSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()),
  strict: z.boolean().optional(),
});

/** The request body we send. Parsed in tests to prove the converters emit only documented fields. */
export const anthropicRequestSchema = z.strictObject({
  model: z.string().min(1),
  max_tokens: z.number().int().positive(),
  messages: z.array(messageParamSchema),
  system: z.union([z.string(), z.array(textBlockSchema)]).optional(),
  tools: z.array(toolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  stop_sequences: z.array(z.string()).optional(),
  metadata: z.strictObject({ user_id: z.string() }).optional(),
  output_config: z
    .strictObject({
      format: z.strictObject({ type: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) }),
    })
    .optional(),
  thinking: z
    .strictObject({ type: z.literal('enabled'), budget_tokens: z.number().int().min(1024) })
    .optional(),
  stream: z.boolean().optional(),
});

export type AnthropicRequest = z.infer<typeof anthropicRequestSchema>;
export type AnthropicMessageParam = z.infer<typeof messageParamSchema>;
export type AnthropicUserContentBlock = z.infer<typeof userContentBlockSchema>;
export type AnthropicAssistantContentBlock = z.infer<typeof assistantContentBlockSchema>;
export type AnthropicImageSource = z.infer<typeof imageSourceSchema>;
export type AnthropicTextBlock = z.infer<typeof textBlockSchema>;
export type AnthropicToolChoice = z.infer<typeof toolChoiceSchema>;
export type AnthropicTool = z.infer<typeof toolSchema>;

/** `usage` on a message and on `message_start`; cache fields are absent or null without caching. */
export const anthropicUsageSchema = z.looseObject({
  input_tokens: z.number().int().nonnegative().nullish(),
  output_tokens: z.number().int().nonnegative().nullish(),
  cache_creation_input_tokens: z.number().int().nonnegative().nullish(),
  cache_read_input_tokens: z.number().int().nonnegative().nullish(),
  /** The cache writes by lifetime, when the request wrote any. */
  cache_creation: z
    .looseObject({
      ephemeral_5m_input_tokens: z.number().int().nonnegative().nullish(),
      ephemeral_1h_input_tokens: z.number().int().nonnegative().nullish(),
    })
    .nullish(),
});

export type AnthropicUsage = z.infer<typeof anthropicUsageSchema>;

/**
 * A response content block: `text`, `tool_use`, and `thinking` / `redacted_thinking` (whose
 * `signature` and `data` are opaque and kept as received); server-tool blocks pass unread.
 */
const responseContentBlockSchema = z.looseObject({
  type: z.string(),
  text: z.string().nullish(),
  thinking: z.string().nullish(),
  signature: z.string().nullish(),
  data: z.string().nullish(),
  id: z.string().nullish(),
  name: z.string().nullish(),
  input: z.unknown().optional(),
});

export const anthropicResponseSchema = z.looseObject({
  id: z.string().nullish(),
  type: z.string().nullish(),
  role: z.string().nullish(),
  model: z.string().nullish(),
  content: z.array(responseContentBlockSchema),
  stop_reason: z.string().nullish(),
  stop_sequence: z.string().nullish(),
  usage: anthropicUsageSchema.nullish(),
});

export type AnthropicResponse = z.infer<typeof anthropicResponseSchema>;

/** `{ type: 'error', error: { type, message }, request_id }`: the body of every error, and the `error` event. */
export const anthropicErrorSchema = z.looseObject({
  type: z.string().nullish(),
  error: z.looseObject({ type: z.string().nullish(), message: z.string().nullish() }).nullish(),
  request_id: z.string().nullish(),
});

export type AnthropicErrorBody = z.infer<typeof anthropicErrorSchema>;

/** One streaming event's data. Every event carries its `type`; fields depend on it, so all are optional. */
export const anthropicStreamEventSchema = z.looseObject({
  type: z.string(),
  index: z.number().int().nonnegative().nullish(),
  message: z
    .looseObject({
      id: z.string().nullish(),
      model: z.string().nullish(),
      usage: anthropicUsageSchema.nullish(),
    })
    .nullish(),
  content_block: z
    .looseObject({
      type: z.string(),
      id: z.string().nullish(),
      name: z.string().nullish(),
      text: z.string().nullish(),
      thinking: z.string().nullish(),
      signature: z.string().nullish(),
      data: z.string().nullish(),
    })
    .nullish(),
  delta: z
    .looseObject({
      type: z.string().nullish(),
      text: z.string().nullish(),
      thinking: z.string().nullish(),
      signature: z.string().nullish(),
      partial_json: z.string().nullish(),
      stop_reason: z.string().nullish(),
    })
    .nullish(),
  usage: anthropicUsageSchema.nullish(),
  error: z.looseObject({ type: z.string().nullish(), message: z.string().nullish() }).nullish(),
});

export type AnthropicStreamEvent = z.infer<typeof anthropicStreamEventSchema>;

/** `POST /v1/messages/count_tokens`'s answer. */
export const anthropicTokenCountSchema = z.looseObject({ input_tokens: z.number().int().nonnegative() });
