import { z } from 'zod';
import { metadataSchema, responseInputItemSchema } from './response-request.ts';

/** The bodies and queries of the Conversations API (OpenAI's `/v1/conversations`), strict like the rest. */

export const conversationCreateRequestSchema = z.strictObject({
  items: z.array(responseInputItemSchema).max(20, 'at most 20 items when creating').nullish(),
  metadata: metadataSchema.nullish(),
});

export const conversationUpdateRequestSchema = z.strictObject({ metadata: metadataSchema });

export const conversationItemsCreateRequestSchema = z.strictObject({
  items: z.array(responseInputItemSchema).min(1).max(20, 'at most 20 items at once'),
});

export const conversationItemsQuerySchema = z.strictObject({
  after: z.string().min(1).max(128).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  order: z.enum(['asc', 'desc']).default('desc'),
  include: z.union([z.string(), z.array(z.string())]).optional(),
});

export type ConversationCreateRequest = z.output<typeof conversationCreateRequestSchema>;
export type ConversationItemsQuery = z.output<typeof conversationItemsQuerySchema>;
