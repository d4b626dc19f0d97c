import { z } from 'zod';

/**
 * What the Anthropic-shaped routes send, as Anthropic documents those objects
 * (`toAnthropicMessage` in platform/wire, `toMessageBatch` in platform/batches).
 */

export const anthropicUsageSchema = z.object({
  input_tokens: z.number().int().describe('Prompt tokens neither read from nor written to the cache.'),
  output_tokens: z.number().int(),
  cache_creation_input_tokens: z.number().int(),
  cache_read_input_tokens: z.number().int(),
  cache_creation: z.object({
    ephemeral_5m_input_tokens: z.number().int(),
    ephemeral_1h_input_tokens: z.number().int(),
  }),
});

const contentBlockSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('thinking'),
    thinking: z.string(),
    signature: z.string().describe("Anthropic's signature; empty for another provider's reasoning."),
  }),
  z.object({ type: z.literal('redacted_thinking'), data: z.string() }),
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({
    type: z.literal('tool_use'),
    id: z.string(),
    name: z.string(),
    input: z
      .record(z.string(), z.unknown())
      .describe(
        'The arguments; `{ "_raw": text }` when the model wrote something that is not a JSON object.',
      ),
  }),
]);

export const anthropicMessageSchema = z
  .object({
    id: z.string().describe('`msg_…`, from the request id.'),
    type: z.literal('message'),
    role: z.literal('assistant'),
    model: z.string().describe('The public id of the model that served the request.'),
    content: z.array(contentBlockSchema),
    stop_reason: z.enum(['end_turn', 'max_tokens', 'tool_use', 'refusal']).nullable(),
    stop_sequence: z.null(),
    usage: anthropicUsageSchema,
  })
  .meta({ id: 'AnthropicMessage', description: "Anthropic's `message` object." });

export const anthropicMessageExample = {
  id: 'msg_01JF3Q8V2M5X7K9T',
  type: 'message',
  role: 'assistant',
  model: 'sim/fast',
  content: [{ type: 'text', text: 'Hello! How can I help?' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: {
    input_tokens: 9,
    output_tokens: 6,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
  },
} satisfies z.output<typeof anthropicMessageSchema>;

export const messagesStreamDescription = [
  "With `stream: true`: Anthropic's server-sent events, named by their type: `message_start` (the",
  'message with empty content), then per block `content_block_start`, `content_block_delta`',
  '(`text_delta`, `input_json_delta`, `thinking_delta`, `signature_delta`) and `content_block_stop`,',
  'then `message_delta` (stop reason and usage) and `message_stop`. A failure before the first event',
  'is a plain JSON error; after it, an `error` event ends the stream.',
].join(' ');

export const tokenCountSchema = z
  .object({ input_tokens: z.number().int() })
  .meta({ id: 'AnthropicTokenCount', description: 'The input tokens of a Messages prompt.' });

export const messageBatchSchema = z
  .object({
    id: z.string().describe('`msgbatch_…`'),
    type: z.literal('message_batch'),
    processing_status: z.enum(['in_progress', 'canceling', 'ended']),
    request_counts: z.object({
      processing: z.number().int(),
      succeeded: z.number().int(),
      errored: z.number().int(),
      canceled: z.number().int(),
      expired: z.number().int(),
    }),
    ended_at: z.iso.datetime({ offset: true }).nullable(),
    created_at: z.iso.datetime({ offset: true }),
    expires_at: z.iso.datetime({ offset: true }),
    archived_at: z.null(),
    cancel_initiated_at: z.iso.datetime({ offset: true }).nullable(),
    results_url: z.string().nullable().describe('Where the JSONL results are, once the batch has ended.'),
  })
  .meta({ id: 'MessageBatch', description: "Anthropic's Message Batch object." });

export const messageBatchExample = {
  id: 'msgbatch_3Lq9Tx2Vm7Kb4Zc1',
  type: 'message_batch',
  processing_status: 'in_progress',
  request_counts: { processing: 2, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
  ended_at: null,
  created_at: '2026-12-07T16:00:00.000Z',
  expires_at: '2026-12-08T16:00:00.000Z',
  archived_at: null,
  cancel_initiated_at: null,
  results_url: null,
} satisfies z.output<typeof messageBatchSchema>;

export const messageBatchPageSchema = z
  .object({
    data: z.array(messageBatchSchema),
    has_more: z.boolean(),
    first_id: z.string().nullable(),
    last_id: z.string().nullable().describe('Give it as `after_id` for the next page.'),
  })
  .meta({ id: 'MessageBatchList' });

export const deletedMessageBatchSchema = z
  .object({ id: z.string(), type: z.literal('message_batch_deleted') })
  .meta({ id: 'MessageBatchDeleted' });

/** The headers Anthropic's clients send that change what a model route does. */
export const anthropicHeadersSchema = z.object({
  'anthropic-version': z.string().optional().describe('Forwarded to Anthropic models as sent.'),
  'anthropic-beta': z.string().optional().describe('Forwarded to Anthropic models as sent.'),
});
