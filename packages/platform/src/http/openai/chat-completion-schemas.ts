import { z } from 'zod';
import { errorBodySchema } from '../openapi/index.ts';

/**
 * What `POST /v1/chat/completions`, `/v1/embeddings` and `/v1/batch/chat/completions` really send,
 * as OpenAI documents those objects (see `toChatCompletion` and `toEmbeddingList` in platform/wire).
 */

export const openAIUsageSchema = z
  .object({
    prompt_tokens: z.number().int(),
    completion_tokens: z.number().int(),
    total_tokens: z.number().int(),
    prompt_tokens_details: z.object({
      cached_tokens: z.number().int().describe('Prompt tokens read from the provider’s prompt cache.'),
    }),
    completion_tokens_details: z.object({ reasoning_tokens: z.number().int() }),
  })
  .meta({ id: 'ChatCompletionUsage', description: 'The tokens a chat completion used.' });

/** A passage a grounded answer cites as `[index]` (`kimi.knowledge_bases`). */
export const knowledgeCitationSchema = z.object({
  index: z.number().int().describe('The `[n]` the model was shown and cites.'),
  knowledge_base_id: z.string(),
  document_id: z.string(),
  external_id: z.string().nullable(),
  chunk_id: z.string(),
  title: z.string(),
  text: z.string(),
  start: z.number().int().describe("Character offset of `text` in the document's text."),
  end: z.number().int(),
  score: z.number().describe("The passage's score in the knowledge base's search."),
});

export const finishReasonSchema = z.enum(['stop', 'length', 'tool_calls', 'content_filter']);

const toolCallSchema = z.object({
  id: z.string(),
  type: z.literal('function'),
  function: z.object({
    name: z.string(),
    arguments: z.string().describe('The arguments as JSON text, as the model wrote them.'),
  }),
});

export const chatCompletionSchema = z
  .object({
    id: z.string().describe('`chatcmpl-…`, from the request id.'),
    object: z.literal('chat.completion'),
    created: z.number().int().describe('Unix seconds.'),
    model: z.string().describe('The public id of the model that served the request.'),
    choices: z.array(
      z.object({
        index: z.number().int(),
        message: z.object({
          role: z.literal('assistant'),
          content: z.string().nullable(),
          refusal: z.null(),
          tool_calls: z.array(toolCallSchema).optional(),
        }),
        logprobs: z.null(),
        finish_reason: finishReasonSchema,
      }),
    ),
    usage: openAIUsageSchema,
    system_fingerprint: z.null(),
    kimi: z
      .object({ citations: z.array(knowledgeCitationSchema) })
      .optional()
      .describe('Only when the request named `kimi.knowledge_bases`: the passages the answer may cite.'),
  })
  .meta({ id: 'ChatCompletion', description: "OpenAI's `chat.completion` object." });

export const chatCompletionExample = {
  id: 'chatcmpl-01JF3Q8V2M5X7K9T',
  object: 'chat.completion',
  created: 1_796_659_200,
  model: 'sim/fast',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Hello! How can I help?', refusal: null },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage: {
    prompt_tokens: 9,
    completion_tokens: 6,
    total_tokens: 15,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
  },
  system_fingerprint: null,
} satisfies z.output<typeof chatCompletionSchema>;

export const chatCompletionRequestExample = {
  model: 'sim/fast',
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Hello' },
  ],
  temperature: 0.2,
};

export const chatCompletionStreamDescription = [
  'With `stream: true`: server-sent events, each `data:` a `chat.completion.chunk` object',
  '(`choices[].delta` with `role`, `content` or `tool_calls` pieces; the last chunk of a choice has',
  '`finish_reason`), then `data: [DONE]`. With `stream_options.include_usage` every chunk has',
  '`usage: null` and a last chunk with no choices carries the usage. A grounded stream’s first chunk',
  'carries `kimi.citations`. A failure before the first event is a plain JSON error; after it, an',
  '`data:` event with the error body ends the stream.',
].join(' ');

export const embeddingListSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(
      z.object({
        object: z.literal('embedding'),
        index: z.number().int(),
        embedding: z
          .union([z.array(z.number()).readonly(), z.string()])
          .describe('The vector; with `encoding_format: base64`, its little-endian float32 bytes in base64.'),
      }),
    ),
    model: z.string().describe('The public id of the model that served the request.'),
    usage: z.object({ prompt_tokens: z.number().int(), total_tokens: z.number().int() }),
  })
  .meta({ id: 'EmbeddingList', description: "OpenAI's list of embeddings." });

export const embeddingListExample = {
  object: 'list',
  data: [{ object: 'embedding', index: 0, embedding: [0.0123, -0.0456, 0.0789] }],
  model: 'sim/embed',
  usage: { prompt_tokens: 3, total_tokens: 3 },
} satisfies z.output<typeof embeddingListSchema>;

/** The response headers of a call a model served. */
export const servedResponseHeaders = {
  'x-request-id': 'The request id.',
  'x-kimi-model': 'The public id of the model that served the request.',
  'x-kimi-cost-usd': 'What the request cost, in USD.',
  'x-kimi-route':
    'The deployment that served it (`x-kimi-attempts`, `x-kimi-fallback-reason` tell of fallbacks).',
  'x-kimi-cache': 'What the response cache did: `hit-l1`, `hit-l2`, `hit-semantic`, `miss` or `bypass`.',
} as const;

/**
 * The request headers every model call reads (routing-headers.ts and cache-directives.ts parse them
 * by hand; this schema documents them).
 */
export const modelCallHeadersSchema = z.object({
  'x-kimi-timeout-ms': z
    .string()
    .optional()
    .describe('The longest the call may take, in whole milliseconds (1 to 3600000), fallbacks included.'),
  'x-kimi-cost-preference': z
    .enum(['cost', 'balanced', 'quality'])
    .optional()
    .describe('How routing weighs cost against quality when several deployments can serve the model.'),
  'cache-control': z
    .string()
    .optional()
    .describe(
      '`no-cache`: do not answer from the response cache (store the fresh answer); `no-store`: neither.',
    ),
  'x-kimi-cache-ttl': z
    .string()
    .optional()
    .describe('How long the answer is kept in the response cache, in whole seconds.'),
});

/** The error statuses of a call a model serves: budgets (402), unknown models (404), providers (502, 504). */
export const modelCallErrors = [402, 404, 502, 504] as const;

/** `POST /v1/batch/chat/completions`: the envelope of many chat completion bodies. */
export const batchChatRequestExample = {
  requests: [
    { model: 'sim/fast', messages: [{ role: 'user', content: 'Hello' }] },
    { model: 'sim/fast', messages: [{ role: 'user', content: 'Goodbye' }] },
  ],
  max_concurrency: 2,
};

export const batchChatCompletionSchema = z
  .object({
    object: z.literal('batch.chat.completion'),
    data: z.array(
      z.union([
        z.object({
          index: z.number().int(),
          request_id: z.string().describe('`<request id>.<index>`: the usage record of this item.'),
          status: z.literal(200),
          cost_usd: z.string().describe('What this item cost, in USD.'),
          response: chatCompletionSchema,
        }),
        z.object({
          index: z.number().int(),
          request_id: z.string(),
          status: z.number().int().describe('The HTTP status this item would have had on its own.'),
          error: errorBodySchema.shape.error,
        }),
      ]),
    ),
    succeeded: z.number().int(),
    failed: z.number().int(),
    usage: z.object({
      prompt_tokens: z.number().int(),
      completion_tokens: z.number().int(),
      total_tokens: z.number().int(),
    }),
    cost_usd: z.string().describe('What the successful items cost together, in USD.'),
  })
  .meta({
    id: 'BatchChatCompletion',
    description: 'The items of a batch, in input order, each with its own status.',
  });

export const batchChatCompletionExample = {
  object: 'batch.chat.completion',
  data: [
    {
      index: 0,
      request_id: 'req_01JF3Q8V2M5X7K9T.0',
      status: 200,
      cost_usd: '0.000015',
      response: chatCompletionExample,
    },
    {
      index: 1,
      request_id: 'req_01JF3Q8V2M5X7K9T.1',
      status: 404,
      error: {
        message:
          "The model 'sim/nope' does not exist or is not configured; list the available models with GET /v1/models.",
        type: 'not_found_error',
        code: 'MODEL_NOT_FOUND',
        param: 'requests[1].model',
        request_id: 'req_01JF3Q8V2M5X7K9T.1',
      },
    },
  ],
  succeeded: 1,
  failed: 1,
  usage: { prompt_tokens: 9, completion_tokens: 6, total_tokens: 15 },
  cost_usd: '0.000015',
} satisfies z.output<typeof batchChatCompletionSchema>;
