import { z } from 'zod';

/*
 * The OpenAI Chat Completions and Embeddings wire format, as OpenAI documents it and compatible
 * servers (Together, Moonshot, vLLM, Ollama, LM Studio, Azure) speak it. Requests are strict: we
 * only ever send what we mean to. Responses are lenient: every field may be missing or null, and
 * unknown fields are dropped, because compatible servers differ in what they add and omit.
 */

const openAIFunctionCallSchema = z.strictObject({ name: z.string(), arguments: z.string() });

const openAIToolCallSchema = z.strictObject({
  id: z.string(),
  type: z.literal('function'),
  function: openAIFunctionCallSchema,
});

const openAIContentPartSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), text: z.string() }),
  z.strictObject({
    type: z.literal('image_url'),
    image_url: z.strictObject({ url: z.string(), detail: z.enum(['auto', 'low', 'high']).optional() }),
  }),
]);

/** One message of a chat request. */
export const openAIMessageSchema = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('system'), content: z.string() }),
  z.strictObject({
    role: z.literal('user'),
    content: z.union([z.string(), z.array(openAIContentPartSchema)]),
    name: z.string().optional(),
  }),
  z.strictObject({
    role: z.literal('assistant'),
    content: z.string().nullable(),
    tool_calls: z.array(openAIToolCallSchema).optional(),
    name: z.string().optional(),
  }),
  z.strictObject({ role: z.literal('tool'), tool_call_id: z.string(), content: z.string() }),
]);

export type OpenAIMessage = z.infer<typeof openAIMessageSchema>;
export type OpenAIContentPart = z.infer<typeof openAIContentPartSchema>;

const openAIToolSchema = z.strictObject({
  type: z.literal('function'),
  function: z.strictObject({
    name: z.string(),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()),
    strict: z.boolean().optional(),
  }),
});

export type OpenAITool = z.infer<typeof openAIToolSchema>;

const openAIToolChoiceSchema = z.union([
  z.enum(['auto', 'none', 'required']),
  z.strictObject({ type: z.literal('function'), function: z.strictObject({ name: z.string() }) }),
]);

export type OpenAIToolChoice = z.infer<typeof openAIToolChoiceSchema>;

const openAIResponseFormatSchema = z.union([
  z.strictObject({ type: z.literal('json_object') }),
  z.strictObject({
    type: z.literal('json_schema'),
    json_schema: z.strictObject({
      name: z.string(),
      schema: z.record(z.string(), z.unknown()),
      strict: z.boolean().optional(),
      description: z.string().optional(),
    }),
  }),
]);

export type OpenAIResponseFormat = z.infer<typeof openAIResponseFormatSchema>;

/** POST /chat/completions. */
export const openAIChatRequestSchema = z.strictObject({
  model: z.string(),
  messages: z.array(openAIMessageSchema),
  tools: z.array(openAIToolSchema).optional(),
  tool_choice: openAIToolChoiceSchema.optional(),
  parallel_tool_calls: z.boolean().optional(),
  response_format: openAIResponseFormatSchema.optional(),
  temperature: z.number().optional(),
  top_p: z.number().optional(),
  max_tokens: z.number().int().optional(),
  max_completion_tokens: z.number().int().optional(),
  stop: z.array(z.string()).optional(),
  seed: z.number().int().optional(),
  user: z.string().optional(),
  n: z.number().int().optional(),
  presence_penalty: z.number().optional(),
  frequency_penalty: z.number().optional(),
  reasoning_effort: z.enum(['minimal', 'low', 'medium', 'high', 'xhigh']).optional(),
  stream: z.boolean().optional(),
  stream_options: z.strictObject({ include_usage: z.boolean() }).optional(),
});

export type OpenAIChatRequest = z.infer<typeof openAIChatRequestSchema>;

/**
 * Token counts. Cached prompt tokens appear as `prompt_tokens_details.cached_tokens` (OpenAI,
 * Azure, Together), `cached_tokens` (Moonshot) or `prompt_cache_hit_tokens` (DeepSeek-style).
 */
export const openAIUsageSchema = z.object({
  prompt_tokens: z.number().nullish(),
  completion_tokens: z.number().nullish(),
  prompt_tokens_details: z.object({ cached_tokens: z.number().nullish() }).nullish(),
  cached_tokens: z.number().nullish(),
  prompt_cache_hit_tokens: z.number().nullish(),
});

export type OpenAIUsage = z.infer<typeof openAIUsageSchema>;

const responseToolCallSchema = z.object({
  id: z.string().nullish(),
  type: z.string().nullish(),
  function: z.object({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
});

const responseFunctionCallSchema = z.object({
  name: z.string().nullish(),
  arguments: z.string().nullish(),
});

/** The body of a 200 from POST /chat/completions. */
export const openAIChatResponseSchema = z.object({
  id: z.string().nullish(),
  model: z.string().nullish(),
  choices: z.array(
    z.object({
      index: z.number().nullish(),
      message: z
        .object({
          content: z.string().nullish(),
          /** The reasoning text of thinking models (DeepSeek, Kimi, vLLM, Together). */
          reasoning_content: z.string().nullish(),
          tool_calls: z.array(responseToolCallSchema).nullish(),
          function_call: responseFunctionCallSchema.nullish(),
        })
        .nullish(),
      finish_reason: z.string().nullish(),
      /** Azure's per-choice content filter annotations; read by the Azure adapter. */
      content_filter_results: z.unknown().optional(),
    }),
  ),
  usage: openAIUsageSchema.nullish(),
});

export type OpenAIChatResponse = z.infer<typeof openAIChatResponseSchema>;
export type OpenAIChatChoice = OpenAIChatResponse['choices'][number];

/** The error object OpenAI-style servers send, in a body or inside a stream. */
export const openAIErrorObjectSchema = z.object({
  message: z.string().nullish(),
  type: z.string().nullish(),
  code: z.union([z.string(), z.number()]).nullish(),
  param: z.string().nullish(),
  /** Azure's details, e.g. the content filter result. */
  innererror: z.unknown().optional(),
});

export type OpenAIErrorObject = z.infer<typeof openAIErrorObjectSchema>;

/** One `data:` event of a streamed chat completion. */
export const openAIChatChunkSchema = z.object({
  id: z.string().nullish(),
  model: z.string().nullish(),
  choices: z
    .array(
      z.object({
        index: z.number().nullish(),
        delta: z
          .object({
            content: z.string().nullish(),
            reasoning_content: z.string().nullish(),
            tool_calls: z
              .array(
                z.object({
                  index: z.number().nullish(),
                  id: z.string().nullish(),
                  function: z
                    .object({ name: z.string().nullish(), arguments: z.string().nullish() })
                    .nullish(),
                }),
              )
              .nullish(),
            function_call: responseFunctionCallSchema.nullish(),
          })
          .nullish(),
        finish_reason: z.string().nullish(),
        /** Moonshot reports usage inside the finishing choice. */
        usage: openAIUsageSchema.nullish(),
        content_filter_results: z.unknown().optional(),
      }),
    )
    .nullish(),
  usage: openAIUsageSchema.nullish(),
  error: openAIErrorObjectSchema.nullish(),
});

export type OpenAIChatChunk = z.infer<typeof openAIChatChunkSchema>;
export type OpenAIChunkChoice = NonNullable<OpenAIChatChunk['choices']>[number];

/** POST /embeddings. */
export const openAIEmbeddingRequestSchema = z.strictObject({
  model: z.string(),
  input: z.array(z.string()),
  encoding_format: z.literal('float'),
  dimensions: z.number().int().optional(),
  user: z.string().optional(),
});

export type OpenAIEmbeddingRequest = z.infer<typeof openAIEmbeddingRequestSchema>;

/** The body of a 200 from POST /embeddings. */
export const openAIEmbeddingResponseSchema = z.object({
  model: z.string().nullish(),
  data: z.array(z.object({ index: z.number().nullish(), embedding: z.array(z.number()) })),
  usage: z.object({ prompt_tokens: z.number().nullish() }).nullish(),
});
