import { z } from 'zod';
import { knowledgeCitationSchema } from '../chat-completion-schemas.ts';

/**
 * What the Responses and Conversations APIs send, as OpenAI documents those objects
 * (`toResponseObject` and the items in platform/responses). Items a caller sent keep the fields
 * it sent, so they are described by their main fields.
 */

const itemStatus = z.enum(['in_progress', 'completed', 'incomplete']);

export const outputMessageItemSchema = z.object({
  id: z.string().describe('`msg_…`'),
  type: z.literal('message'),
  status: itemStatus,
  role: z.literal('assistant'),
  content: z.array(
    z.object({
      type: z.literal('output_text'),
      text: z.string(),
      annotations: z.array(z.unknown()),
      logprobs: z.array(z.unknown()),
    }),
  ),
});

export const functionCallItemSchema = z.object({
  id: z.string().describe('`fc_…`'),
  type: z.literal('function_call'),
  status: itemStatus,
  call_id: z.string().describe('Answer it with a `function_call_output` item of this `call_id`.'),
  name: z.string(),
  arguments: z.string().describe('The arguments as JSON text, as the model wrote them.'),
});

export const reasoningItemSchema = z.object({
  id: z.string().describe('`rs_…`'),
  type: z.literal('reasoning'),
  summary: z.array(z.object({ type: z.literal('summary_text'), text: z.string() })),
  encrypted_content: z
    .string()
    .nullable()
    .describe(
      'The opaque form a provider needs back to continue from this reasoning; send the item back as is.',
    ),
  status: itemStatus.optional(),
});

export const outputItemSchema = z
  .discriminatedUnion('type', [outputMessageItemSchema, functionCallItemSchema, reasoningItemSchema])
  .meta({ id: 'ResponseOutputItem', description: 'An item a model produced.' });

/** An input item as stored: the item as the caller sent it (shorthands normalised), with an id and a status. */
export const storedInputItemSchema = z
  .discriminatedUnion('type', [
    z.looseObject({
      type: z.literal('message'),
      id: z.string(),
      status: itemStatus,
      role: z.enum(['user', 'system', 'developer', 'assistant']),
      content: z.array(
        z.looseObject({
          type: z
            .enum(['input_text', 'input_image', 'output_text', 'refusal'])
            .describe(
              '`input_text`/`output_text` have `text`, `input_image` `image_url`, `refusal` `refusal`.',
            ),
        }),
      ),
    }),
    z.looseObject({
      type: z.literal('function_call'),
      id: z.string(),
      status: itemStatus,
      call_id: z.string(),
      name: z.string(),
      arguments: z.string(),
    }),
    z.looseObject({
      type: z.literal('function_call_output'),
      id: z.string(),
      status: itemStatus,
      call_id: z.string(),
      output: z.union([z.string(), z.array(z.looseObject({ type: z.enum(['input_text', 'input_image']) }))]),
    }),
    z.looseObject({
      type: z.literal('reasoning'),
      id: z.string(),
      status: itemStatus,
      summary: z.array(z.object({ type: z.literal('summary_text'), text: z.string() })),
    }),
  ])
  .meta({ id: 'ResponseInputItem', description: 'An input item, as sent, with its id and status.' });

export const storedInputItemExample = {
  type: 'message',
  id: 'msg_9Vb2Lq7Tx4Mz1Kc8',
  status: 'completed',
  role: 'user',
  content: [{ type: 'input_text', text: 'Hello' }],
} satisfies z.output<typeof storedInputItemSchema>;

export const responseObjectSchema = z
  .object({
    id: z.string().describe('`resp_…`'),
    object: z.literal('response'),
    created_at: z.number().int().describe('Unix seconds.'),
    status: z.enum(['queued', 'in_progress', 'completed', 'incomplete', 'failed', 'cancelled']),
    background: z.boolean(),
    conversation: z.object({ id: z.string() }).nullable(),
    completed_at: z.number().int().nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    incomplete_details: z.object({ reason: z.enum(['max_output_tokens', 'content_filter']) }).nullable(),
    instructions: z.string().nullable(),
    max_output_tokens: z.number().int().nullable(),
    max_tool_calls: z.null(),
    model: z.string().describe('The model the request named.'),
    output: z.array(outputItemSchema),
    output_text: z.string().describe('The text of every output message, joined.'),
    parallel_tool_calls: z.boolean(),
    previous_response_id: z.string().nullable(),
    prompt_cache_key: z.string().nullable(),
    reasoning: z.object({ effort: z.string().nullable(), summary: z.string().nullable() }),
    safety_identifier: z.string().nullable(),
    service_tier: z.string(),
    store: z.boolean(),
    temperature: z.number(),
    text: z.object({
      format: z.looseObject({ type: z.enum(['text', 'json_object', 'json_schema']) }),
      verbosity: z.string(),
    }),
    tool_choice: z.union([
      z.enum(['none', 'auto', 'required']),
      z.object({ type: z.literal('function'), name: z.string() }),
    ]),
    tools: z.array(
      z.object({
        type: z.literal('function'),
        name: z.string(),
        description: z.string().nullable(),
        parameters: z.record(z.string(), z.unknown()).nullable(),
        strict: z.boolean().nullable(),
      }),
    ),
    top_logprobs: z.literal(0),
    top_p: z.number(),
    truncation: z.enum(['auto', 'disabled']),
    usage: z
      .object({
        input_tokens: z.number().int(),
        input_tokens_details: z.object({ cached_tokens: z.number().int() }),
        output_tokens: z.number().int(),
        output_tokens_details: z.object({ reasoning_tokens: z.number().int() }),
        total_tokens: z.number().int(),
      })
      .nullable(),
    user: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    kimi: z
      .object({
        knowledge_bases: z.array(z.string()),
        knowledge_top_k: z.number().int(),
        citations: z.array(knowledgeCitationSchema),
      })
      .optional()
      .describe(
        'Only when the request named `kimi.knowledge_bases`: the passages the answer may cite as [n].',
      ),
  })
  .meta({ id: 'Response', description: "OpenAI's `response` object." });

export const responseObjectExample = {
  id: 'resp_6Tq1Zx8Lm3Vb7Kc2',
  object: 'response',
  created_at: 1_796_659_200,
  status: 'completed',
  background: false,
  conversation: null,
  completed_at: 1_796_659_201,
  error: null,
  incomplete_details: null,
  instructions: null,
  max_output_tokens: null,
  max_tool_calls: null,
  model: 'sim/fast',
  output: [
    {
      id: 'msg_2Hd8Qm4Wx1Tz9Lb5',
      type: 'message',
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: 'Hello! How can I help?', annotations: [], logprobs: [] }],
    },
  ],
  output_text: 'Hello! How can I help?',
  parallel_tool_calls: true,
  previous_response_id: null,
  prompt_cache_key: null,
  reasoning: { effort: null, summary: null },
  safety_identifier: null,
  service_tier: 'default',
  store: true,
  temperature: 1,
  text: { format: { type: 'text' }, verbosity: 'medium' },
  tool_choice: 'auto',
  tools: [],
  top_logprobs: 0,
  top_p: 1,
  truncation: 'disabled',
  usage: {
    input_tokens: 9,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 6,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 15,
  },
  user: null,
  metadata: {},
} satisfies z.output<typeof responseObjectSchema>;

export const deletedResponseSchema = z
  .object({ id: z.string(), object: z.literal('response'), deleted: z.literal(true) })
  .meta({ id: 'ResponseDeleted' });

export const responseEventsDescription = [
  'Server-sent events named by their `type` (`event: response.output_text.delta`), each `data:` the',
  'event as JSON with its `sequence_number`, as OpenAI sends them: `response.created`,',
  '`response.in_progress`, `response.output_item.added`, `response.content_part.added`,',
  '`response.output_text.delta`/`.done`, `response.function_call_arguments.delta`/`.done`,',
  '`response.output_item.done`, and one of `response.completed`, `response.incomplete` or',
  '`response.failed` (after an `error` event).',
].join(' ');
