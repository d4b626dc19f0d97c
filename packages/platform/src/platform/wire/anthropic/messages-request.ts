import { z } from 'zod';

/**
 * Prompt-caching hints. They never change what a model answers: Anthropic models receive them
 * with the request as sent; other providers have no such hint, so they drop them.
 */
const cacheControl = z.looseObject({ type: z.string() }).nullish();

/**
 * String content is shorthand for one text block. Reading it as such (rather than as a union of
 * string and blocks) keeps zod's error on the offending block, e.g. an unsupported `search_result`.
 */
function blocks<Item extends z.ZodType>(array: z.ZodArray<Item>) {
  return z.preprocess(
    (value) => (typeof value === 'string' ? [{ type: 'text', text: value }] : value),
    array,
  );
}

const textBlock = z.looseObject({
  type: z.literal('text'),
  text: z.string(),
  cache_control: cacheControl,
  // A text block copied from an earlier response carries its citations; they do not change the answer.
  citations: z.array(z.unknown()).nullish(),
});

const imageSource = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('base64'),
    media_type: z.enum(['image/jpeg', 'image/png', 'image/gif', 'image/webp']),
    data: z.string().min(1),
  }),
  z.looseObject({ type: z.literal('url'), url: z.string().min(1) }),
]);

const imageBlock = z.looseObject({
  type: z.literal('image'),
  source: imageSource,
  cache_control: cacheControl,
});

/**
 * A document: a PDF (base64 or URL), plain text, or content blocks. Plain text is read by every
 * model; the other sources only by Anthropic's, so routing keeps such a request to them.
 */
const documentSource = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('base64'),
    media_type: z.literal('application/pdf'),
    data: z.string().min(1),
  }),
  z.looseObject({ type: z.literal('url'), url: z.string().min(1) }),
  z.looseObject({ type: z.literal('text'), media_type: z.literal('text/plain'), data: z.string() }),
  z.looseObject({ type: z.literal('content'), content: z.union([z.string(), z.array(z.unknown())]) }),
  z.looseObject({ type: z.literal('file'), file_id: z.string().min(1) }),
]);

const documentBlock = z.looseObject({
  type: z.literal('document'),
  source: documentSource,
  title: z.string().nullish(),
  context: z.string().nullish(),
  citations: z.looseObject({ enabled: z.boolean().optional() }).nullish(),
  cache_control: cacheControl,
});

const toolUseBlock = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
  cache_control: cacheControl,
  // Set on tool_use blocks copied from a response; who called the tool does not matter on input.
  caller: z.looseObject({ type: z.string() }).nullish(),
});

const toolResultBlock = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: blocks(z.array(z.discriminatedUnion('type', [textBlock, imageBlock]))).optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControl,
});

/**
 * Thinking blocks of an earlier response, sent back in the conversation: Anthropic verifies the
 * signature, so the block travels to it as received; other providers do not read them.
 */
const thinkingBlock = z.looseObject({
  type: z.literal('thinking'),
  thinking: z.string(),
  signature: z.string(),
});
const redactedThinkingBlock = z.looseObject({ type: z.literal('redacted_thinking'), data: z.string() });

const messageSchema = z.discriminatedUnion('role', [
  z.looseObject({
    role: z.literal('user'),
    content: blocks(
      z.array(z.discriminatedUnion('type', [textBlock, imageBlock, documentBlock, toolResultBlock])).min(1),
    ),
  }),
  z.looseObject({
    role: z.literal('assistant'),
    content: blocks(
      z.array(z.discriminatedUnion('type', [textBlock, toolUseBlock, thinkingBlock, redactedThinkingBlock])),
    ),
  }),
]);

const toolName = z
  .string()
  .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must be 1-64 characters of a-z, A-Z, 0-9, underscores and dashes');

const customToolSchema = z.looseObject({
  type: z.literal('custom').nullish(),
  name: toolName,
  description: z.string().optional(),
  input_schema: z.looseObject({ type: z.literal('object') }),
  cache_control: cacheControl,
  strict: z.boolean().optional(),
});

/**
 * A tool definition. Anthropic's server tools (web search, code execution, bash…) run inside
 * Anthropic's service; no other provider can run them, so they are refused by name.
 */
const toolSchema = z
  .looseObject({ type: z.string().nullish() })
  .check((context) => {
    const type = context.value.type;
    if (type != null && type !== 'custom') {
      context.issues.push({
        code: 'custom',
        input: type,
        path: ['type'],
        message: `the server tool '${type}' is not supported; this platform runs client tools only, defined by name, description and input_schema`,
      });
    }
  })
  .pipe(customToolSchema);

const parallelOption = { disable_parallel_tool_use: z.boolean().optional() };

const toolChoiceSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('auto'), ...parallelOption }),
  z.looseObject({ type: z.literal('any'), ...parallelOption }),
  z.looseObject({ type: z.literal('tool'), name: toolName, ...parallelOption }),
  z.looseObject({ type: z.literal('none') }),
]);

/** Extended thinking: a token budget, or adaptive (the model decides), or off. */
const thinkingSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('enabled'), budget_tokens: z.number().int().min(1024) }),
  z.looseObject({ type: z.literal('adaptive') }),
  z.looseObject({ type: z.literal('disabled') }),
]);

/**
 * What `POST /v1/messages/count_tokens` reads: the prompt of a Messages body. Fields this
 * platform does not know are tolerated (each Claude Code release may add some): Anthropic models
 * receive them as sent, other providers drop them. Known fields keep their validation.
 */
export const countTokensRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(messageSchema).min(1),
  system: blocks(z.array(textBlock)).optional(),
  tools: z.array(toolSchema).max(128).optional(),
  tool_choice: toolChoiceSchema.optional(),
  thinking: thinkingSchema.optional(),
  cache_control: cacheControl,
});

/**
 * The Anthropic Messages body (`POST /v1/messages`): the prompt plus the fields that shape the
 * answer. `top_k` and `thinking` reach Anthropic models; other providers have neither and drop them.
 */
export const messagesRequestSchema = countTokensRequestSchema.extend({
  max_tokens: z.number().int().min(1),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).optional(),
  stop_sequences: z.array(z.string().min(1)).optional(),
  metadata: z.looseObject({ user_id: z.string().max(256).nullish() }).optional(),
  // Capacity selection at Anthropic; it does not change the answer, so other providers ignore it.
  service_tier: z.enum(['auto', 'standard_only']).optional(),
});

export type CountTokensRequestBody = z.output<typeof countTokensRequestSchema>;
export type MessagesRequestBody = z.output<typeof messagesRequestSchema>;
export type AnthropicMessage = z.output<typeof messageSchema>;
export type AnthropicTextBlock = z.output<typeof textBlock>;
export type AnthropicImageBlock = z.output<typeof imageBlock>;
export type AnthropicDocumentBlock = z.output<typeof documentBlock>;
export type AnthropicToolResultBlock = z.output<typeof toolResultBlock>;
