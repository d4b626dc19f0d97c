import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  conversationCreateRequestSchema,
  conversationItemsCreateRequestSchema,
  conversationItemsQuerySchema,
  conversationUpdateRequestSchema,
} from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import type { RouteContext } from '../route-context.ts';
import { requires } from '../route-permission.ts';
import {
  conversationExample,
  conversationItemPageExample,
  conversationItemPageSchema,
  conversationItemSchema,
  conversationSchema,
  deletedConversationSchema,
} from './conversation-schemas.ts';
import { storedInputItemExample } from './responses/response-schemas.ts';

const conversationParamsSchema = z.strictObject({ conversationId: z.string().min(1).max(128) });
const itemParamsSchema = conversationParamsSchema.extend({ itemId: z.string().min(1).max(128) });
const includeQuerySchema = z.strictObject({
  include: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe("Accepted for OpenAI's clients; items are always sent whole."),
});

const tag = 'OpenAI: conversations';
type Output<Schema extends z.ZodType> = Promise<z.output<Schema>>;
const conversationResponse = (description: string) => ({
  200: { description, schema: conversationSchema, example: conversationExample },
});
const itemPageResponse = (description: string) => ({
  200: { description, schema: conversationItemPageSchema, example: conversationItemPageExample },
});

/** OpenAI's Conversations API: conversations of the caller's organisation and their items. */
export function registerConversationsRoutes(app: FastifyInstance, context: RouteContext): void {
  const conversations = context.conversations;

  app.post(
    '/v1/conversations',
    requires('models:invoke', {
      operationId: 'createConversation',
      summary: 'Create a conversation',
      description: 'With up to 20 initial items; a response joins it with `conversation`.',
      tag,
      body: conversationCreateRequestSchema,
      bodyOptional: true,
      bodyExample: {
        items: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hello' }] }],
        metadata: { topic: 'support' },
      },
      responses: conversationResponse('The conversation.'),
    }),
    async (request): Output<typeof conversationSchema> => {
      const body = parseWith(conversationCreateRequestSchema, request.body ?? {});
      return conversations.create(callerOf(request), body);
    },
  );

  app.get(
    '/v1/conversations/:conversationId',
    requires('models:read', {
      operationId: 'getConversation',
      summary: 'Get a conversation',
      tag,
      params: conversationParamsSchema,
      responses: conversationResponse('The conversation.'),
      errors: [404],
    }),
    async (request): Output<typeof conversationSchema> => {
      const { conversationId } = parseWith(conversationParamsSchema, request.params);
      return conversations.retrieve(callerOf(request), conversationId);
    },
  );

  app.post(
    '/v1/conversations/:conversationId',
    requires('models:invoke', {
      operationId: 'updateConversation',
      summary: "Replace a conversation's metadata",
      tag,
      params: conversationParamsSchema,
      body: conversationUpdateRequestSchema,
      bodyExample: { metadata: { topic: 'billing' } },
      responses: conversationResponse('The conversation with its new metadata.'),
      errors: [404],
    }),
    async (request): Output<typeof conversationSchema> => {
      const { conversationId } = parseWith(conversationParamsSchema, request.params);
      const body = parseWith(conversationUpdateRequestSchema, request.body);
      return conversations.update(callerOf(request), conversationId, body.metadata);
    },
  );

  app.delete(
    '/v1/conversations/:conversationId',
    requires('models:invoke', {
      operationId: 'deleteConversation',
      summary: 'Delete a conversation and its items',
      tag,
      params: conversationParamsSchema,
      responses: {
        200: {
          description: 'The conversation is deleted.',
          schema: deletedConversationSchema,
          example: { id: conversationExample.id, object: 'conversation.deleted', deleted: true },
        },
      },
      errors: [404],
    }),
    async (request): Output<typeof deletedConversationSchema> => {
      const { conversationId } = parseWith(conversationParamsSchema, request.params);
      return conversations.remove(callerOf(request), conversationId);
    },
  );

  app.get(
    '/v1/conversations/:conversationId/items',
    requires('models:read', {
      operationId: 'listConversationItems',
      summary: "List a conversation's items",
      tag,
      params: conversationParamsSchema,
      query: conversationItemsQuerySchema,
      responses: itemPageResponse('A page of items, newest first unless `order=asc`.'),
      errors: [404],
    }),
    async (request): Output<typeof conversationItemPageSchema> => {
      const { conversationId } = parseWith(conversationParamsSchema, request.params);
      const query = parseWith(conversationItemsQuerySchema, request.query);
      return conversations.listItems(callerOf(request), conversationId, query);
    },
  );

  app.post(
    '/v1/conversations/:conversationId/items',
    requires('models:invoke', {
      operationId: 'createConversationItems',
      summary: 'Add items to a conversation',
      tag,
      params: conversationParamsSchema,
      query: includeQuerySchema,
      body: conversationItemsCreateRequestSchema,
      bodyExample: {
        items: [
          { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'And another question' }] },
        ],
      },
      responses: itemPageResponse('The items added, with their ids.'),
      errors: [404],
    }),
    async (request): Output<typeof conversationItemPageSchema> => {
      const { conversationId } = parseWith(conversationParamsSchema, request.params);
      parseWith(includeQuerySchema, request.query);
      const body = parseWith(conversationItemsCreateRequestSchema, request.body);
      return conversations.addItems(callerOf(request), conversationId, body.items);
    },
  );

  app.get(
    '/v1/conversations/:conversationId/items/:itemId',
    requires('models:read', {
      operationId: 'getConversationItem',
      summary: 'Get an item of a conversation',
      tag,
      params: itemParamsSchema,
      query: includeQuerySchema,
      responses: {
        200: { description: 'The item.', schema: conversationItemSchema, example: storedInputItemExample },
      },
      errors: [404],
    }),
    async (request): Output<typeof conversationItemSchema> => {
      const { conversationId, itemId } = parseWith(itemParamsSchema, request.params);
      parseWith(includeQuerySchema, request.query);
      return conversations.retrieveItem(callerOf(request), conversationId, itemId);
    },
  );

  app.delete(
    '/v1/conversations/:conversationId/items/:itemId',
    requires('models:invoke', {
      operationId: 'deleteConversationItem',
      summary: 'Delete an item of a conversation',
      tag,
      params: itemParamsSchema,
      responses: conversationResponse('The conversation (as OpenAI answers).'),
      errors: [404],
    }),
    async (request): Output<typeof conversationSchema> => {
      const { conversationId, itemId } = parseWith(itemParamsSchema, request.params);
      return conversations.removeItem(callerOf(request), conversationId, itemId);
    },
  );
}
