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

const conversationParamsSchema = z.strictObject({ conversationId: z.string().min(1).max(128) });
const itemParamsSchema = conversationParamsSchema.extend({ itemId: z.string().min(1).max(128) });
const includeQuerySchema = z.strictObject({ include: z.union([z.string(), z.array(z.string())]).optional() });

/** OpenAI's Conversations API: conversations of the caller's organisation and their items. */
export function registerConversationsRoutes(app: FastifyInstance, context: RouteContext): void {
  const conversations = context.conversations;

  app.post('/v1/conversations', requires('models:invoke'), async (request) => {
    const body = parseWith(conversationCreateRequestSchema, request.body ?? {});
    return conversations.create(callerOf(request), body);
  });

  app.get('/v1/conversations/:conversationId', requires('models:read'), async (request) => {
    const { conversationId } = parseWith(conversationParamsSchema, request.params);
    return conversations.retrieve(callerOf(request), conversationId);
  });

  app.post('/v1/conversations/:conversationId', requires('models:invoke'), async (request) => {
    const { conversationId } = parseWith(conversationParamsSchema, request.params);
    const body = parseWith(conversationUpdateRequestSchema, request.body);
    return conversations.update(callerOf(request), conversationId, body.metadata);
  });

  app.delete('/v1/conversations/:conversationId', requires('models:invoke'), async (request) => {
    const { conversationId } = parseWith(conversationParamsSchema, request.params);
    return conversations.remove(callerOf(request), conversationId);
  });

  app.get('/v1/conversations/:conversationId/items', requires('models:read'), async (request) => {
    const { conversationId } = parseWith(conversationParamsSchema, request.params);
    const query = parseWith(conversationItemsQuerySchema, request.query);
    return conversations.listItems(callerOf(request), conversationId, query);
  });

  app.post('/v1/conversations/:conversationId/items', requires('models:invoke'), async (request) => {
    const { conversationId } = parseWith(conversationParamsSchema, request.params);
    parseWith(includeQuerySchema, request.query);
    const body = parseWith(conversationItemsCreateRequestSchema, request.body);
    return conversations.addItems(callerOf(request), conversationId, body.items);
  });

  app.get('/v1/conversations/:conversationId/items/:itemId', requires('models:read'), async (request) => {
    const { conversationId, itemId } = parseWith(itemParamsSchema, request.params);
    parseWith(includeQuerySchema, request.query);
    return conversations.retrieveItem(callerOf(request), conversationId, itemId);
  });

  app.delete(
    '/v1/conversations/:conversationId/items/:itemId',
    requires('models:invoke'),
    async (request) => {
      const { conversationId, itemId } = parseWith(itemParamsSchema, request.params);
      return conversations.removeItem(callerOf(request), conversationId, itemId);
    },
  );
}
