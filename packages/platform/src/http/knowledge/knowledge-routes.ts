import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  type KnowledgeServices,
  knowledgeBaseCreateSchema,
  knowledgeBaseUpdateSchema,
  listQuerySchema,
  searchRequestSchema,
} from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';
import { registerDocumentEventsRoute } from './document-events-route.ts';
import { registerDocumentUploadRoute } from './document-upload-route.ts';
import { callOf, knowledgeBaseParamsSchema } from './knowledge-call.ts';

const documentParamsSchema = knowledgeBaseParamsSchema.extend({ documentId: z.string().min(1).max(128) });

/**
 * `/v1/knowledge-bases`: knowledge bases of the caller's organisation, their documents (JSON text,
 * one or in bulk, or files; ingested by queue jobs, followed over SSE) and search. Reads need `knowledge:read`, changes `knowledge:write`.
 */
export async function registerKnowledgeRoutes(
  app: FastifyInstance,
  knowledge: KnowledgeServices,
): Promise<void> {
  await app.register(async (uploads) => registerDocumentUploadRoute(uploads, knowledge));
  registerDocumentEventsRoute(app, knowledge);
  app.post('/v1/knowledge-bases', requires('knowledge:write'), async (request, reply) => {
    const body = parseWith(knowledgeBaseCreateSchema, request.body);
    const created = await knowledge.create(callerOf(request), callOf(request, reply), body);
    reply.code(201);
    return created;
  });

  app.get('/v1/knowledge-bases', requires('knowledge:read'), async (request) => {
    const query = parseWith(listQuerySchema, request.query);
    return knowledge.list(callerOf(request), query);
  });

  app.get('/v1/knowledge-bases/:knowledgeBaseId', requires('knowledge:read'), async (request) => {
    const { knowledgeBaseId } = parseWith(knowledgeBaseParamsSchema, request.params);
    return knowledge.retrieve(callerOf(request), knowledgeBaseId);
  });

  app.patch('/v1/knowledge-bases/:knowledgeBaseId', requires('knowledge:write'), async (request) => {
    const { knowledgeBaseId } = parseWith(knowledgeBaseParamsSchema, request.params);
    const change = parseWith(knowledgeBaseUpdateSchema, request.body);
    return knowledge.update(callerOf(request), knowledgeBaseId, change);
  });

  app.delete('/v1/knowledge-bases/:knowledgeBaseId', requires('knowledge:write'), async (request) => {
    const { knowledgeBaseId } = parseWith(knowledgeBaseParamsSchema, request.params);
    return knowledge.remove(callerOf(request), knowledgeBaseId);
  });

  app.get('/v1/knowledge-bases/:knowledgeBaseId/documents', requires('knowledge:read'), async (request) => {
    const { knowledgeBaseId } = parseWith(knowledgeBaseParamsSchema, request.params);
    const query = parseWith(listQuerySchema, request.query);
    return knowledge.listDocuments(callerOf(request), knowledgeBaseId, query);
  });

  app.get(
    '/v1/knowledge-bases/:knowledgeBaseId/documents/:documentId',
    requires('knowledge:read'),
    async (request) => {
      const { knowledgeBaseId, documentId } = parseWith(documentParamsSchema, request.params);
      return knowledge.retrieveDocument(callerOf(request), knowledgeBaseId, documentId);
    },
  );

  app.delete(
    '/v1/knowledge-bases/:knowledgeBaseId/documents/:documentId',
    requires('knowledge:write'),
    async (request) => {
      const { knowledgeBaseId, documentId } = parseWith(documentParamsSchema, request.params);
      return knowledge.removeDocument(callerOf(request), knowledgeBaseId, documentId);
    },
  );

  app.post(
    '/v1/knowledge-bases/:knowledgeBaseId/search',
    requires('knowledge:read'),
    async (request, reply) => {
      const { knowledgeBaseId } = parseWith(knowledgeBaseParamsSchema, request.params);
      const body = parseWith(searchRequestSchema, request.body);
      return knowledge.search(callerOf(request), callOf(request, reply), knowledgeBaseId, body);
    },
  );
}
