import { z } from 'zod';
import { knowledgeExtensionSchema } from '../knowledge-extension.ts';

const textPart = z.object({ type: z.literal('text'), text: z.string() });
const imagePart = z.object({
  type: z.literal('image_url'),
  image_url: z.object({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).optional() }),
});
const refusalPart = z.object({ type: z.literal('refusal'), refusal: z.string() });

const systemContent = z.union([z.string(), z.array(textPart).min(1)]);
const toolCallSchema = z.object({
  id: z.string().min(1),
  type: z.literal('function'),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});

const messageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: systemContent, name: z.string().optional() }),
  z.object({ role: z.literal('developer'), content: systemContent, name: z.string().optional() }),
  z.object({
    role: z.literal('user'),
    content: z.union([z.string(), z.array(z.discriminatedUnion('type', [textPart, imagePart])).min(1)]),
    name: z.string().optional(),
  }),
  z.object({
    role: z.literal('assistant'),
    content: z
      .union([z.string(), z.array(z.discriminatedUnion('type', [textPart, refusalPart])), z.null()])
      .optional(),
    tool_calls: z.array(toolCallSchema).optional(),
    name: z.string().optional(),
    refusal: z.string().nullish(),
  }),
  z.object({
    role: z.literal('tool'),
    tool_call_id: z.string().min(1),
    content: z.union([z.string(), z.array(textPart).min(1)]),
  }),
]);

const functionName = z
  .string()
  .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must be 1-64 characters of a-z, A-Z, 0-9, underscores and dashes');

const toolSchema = z.object({
  type: z.literal('function'),
  function: z.object({
    name: functionName,
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
});

const toolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: functionName }) }),
]);

const responseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: functionName,
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

/**
 * The OpenAI chat completions body. Unknown top-level fields are refused, as OpenAI does, so a
 * typo is an error rather than a silently ignored setting. Fields that only tune OpenAI's own
 * service (store, metadata, service_tier…) are accepted and have no effect on other providers.
 */
export const chatCompletionRequestSchema = z.strictObject({
  model: z.string().min(1),
  messages: z.array(messageSchema).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  tools: z.array(toolSchema).max(128).optional(),
  tool_choice: toolChoiceSchema.optional(),
  parallel_tool_calls: z.boolean().optional(),
  response_format: responseFormatSchema.optional(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  seed: z.number().int().nullish(),
  user: z.string().max(256).optional(),
  n: z.number().int().min(1).max(128).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  logprobs: z.literal(false, { message: 'log probabilities are not supported by this platform' }).nullish(),
  store: z.boolean().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  service_tier: z.string().nullish(),
  reasoning_effort: z.enum(['minimal', 'low', 'medium', 'high', 'xhigh']).nullish(),
  prompt_cache_key: z.string().optional(),
  safety_identifier: z.string().optional(),
  /**
   * The platform's extension (not sent to providers): `knowledge_bases` to ground the answer in,
   * whose passages come back as `kimi.citations` (docs/knowledge-bases.md, "Chat").
   */
  kimi: knowledgeExtensionSchema.optional(),
});

export type ChatCompletionRequestBody = z.output<typeof chatCompletionRequestSchema>;
export type OpenAIMessage = z.output<typeof messageSchema>;
