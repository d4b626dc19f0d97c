import { z } from 'zod';
import { cursorListSchema } from './batch-file-schemas.ts';
import {
  outputItemSchema,
  storedInputItemExample,
  storedInputItemSchema,
} from './responses/response-schemas.ts';

/** What the Conversations API sends, as OpenAI documents it (platform/responses/conversation-services.ts). */

export const conversationSchema = z
  .object({
    id: z.string().describe('`conv_…`'),
    object: z.literal('conversation'),
    created_at: z.number().int().describe('Unix seconds.'),
    metadata: z.record(z.string(), z.string()),
  })
  .meta({ id: 'Conversation', description: "OpenAI's conversation object." });

export const conversationExample = {
  id: 'conv_8Kd2Mx5Qv1Lt7Wz3Rb9Hc4Ny6Pf0Gs2Jk5Tm8Vq',
  object: 'conversation',
  created_at: 1_796_659_200,
  metadata: { topic: 'support' },
} satisfies z.output<typeof conversationSchema>;

export const deletedConversationSchema = z
  .object({ id: z.string(), object: z.literal('conversation.deleted'), deleted: z.literal(true) })
  .meta({ id: 'ConversationDeleted' });

/** An item of a conversation: an input item as sent, or an item a response produced. */
export const conversationItemSchema = z
  .union([storedInputItemSchema, outputItemSchema])
  .meta({ id: 'ConversationItem', description: 'An input item as sent, or an output item of a response.' });

export const conversationItemPageSchema = cursorListSchema(conversationItemSchema, 'ConversationItemList');

const assistantItemExample = {
  id: 'msg_2Hd8Qm4Wx1Tz9Lb5',
  type: 'message',
  status: 'completed',
  role: 'assistant',
  content: [{ type: 'output_text', text: 'Hello! How can I help?', annotations: [], logprobs: [] }],
} satisfies z.output<typeof outputItemSchema>;

export const conversationItemPageExample = {
  object: 'list',
  data: [assistantItemExample, storedInputItemExample],
  first_id: assistantItemExample.id,
  last_id: storedInputItemExample.id,
  has_more: false,
} satisfies z.output<typeof conversationItemPageSchema>;
