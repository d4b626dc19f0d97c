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
import {
  knowledgeBaseDeletedSchema,
  knowledgeBaseExample,
  knowledgeBasePageExample,
  knowledgeBasePageSchema,
  knowledgeBaseSchema,
  knowledgeDocumentDeletedSchema,
  knowledgeDocumentExample,
  knowledgeDocumentPageExample,
  knowledgeDocumentPageSchema,
  knowledgeDocumentSchema,
  knowledgeSearchResultExample,
  knowledgeSearchResultSchema,
} from './knowledge-schemas.ts';

const tag = 'Knowledge bases';
const pagination = 'Keyset pages, oldest first: pass `last_id` as `after` for the next page.';

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
  app.post(
    '/v1/knowledge-bases',
    requires('knowledge:write', {
      operationId: 'createKnowledgeBase',
      summary: 'Create a knowledge base',
      description:
        'The embedding model is checked now (it must be an embedding model the key may use) and cannot change later.',
      tag,
      body: knowledgeBaseCreateSchema,
      bodyExample: {
        name: 'Handbook',
        description: 'The employee handbook',
        embedding_model: 'sim/embed',
        chunking: { max_tokens: 400, overlap_tokens: 60 },
        metadata: { team: 'people' },
      },
      responses: {
        201: {
          description: 'The knowledge base, empty.',
          schema: knowledgeBaseSchema,
          example: { ...knowledgeBaseExample, embedding_dimensions: null, document_count: 0, chunk_count: 0 },
        },
      },
    }),
    async (request, reply): Promise<z.output<typeof knowledgeBaseSchema>> => {
      const body = parseWith(knowledgeBaseCreateSchema, request.body);
      const created = await knowledge.create(callerOf(request), callOf(request, reply), body);
      reply.code(201);
      return created;
    },
  );

  app.get(
    '/v1/knowledge-bases',
    requires('knowledge:read', {
      operationId: 'listKnowledgeBases',
      summary: "List the organisation's knowledge bases",
      description: pagination,
      tag,
      query: listQuerySchema,
      responses: {
        200: {
          description: 'A page of knowledge bases.',
          schema: knowledgeBasePageSchema,
          example: knowledgeBasePageExample,
        },
      },
    }),
    async (request): Promise<z.output<typeof knowledgeBasePageSchema>> => {
      const query = parseWith(listQuerySchema, request.query);
      return knowledge.list(callerOf(request), query);
    },
  );

  app.get(
    '/v1/knowledge-bases/:knowledgeBaseId',
    requires('knowledge:read', {
      operationId: 'getKnowledgeBase',
      summary: 'Get a knowledge base',
      tag,
      params: knowledgeBaseParamsSchema,
      responses: {
        200: {
          description: 'The knowledge base.',
          schema: knowledgeBaseSchema,
          example: knowledgeBaseExample,
        },
      },
      errors: [404],
    }),
    async (request): Promise<z.output<typeof knowledgeBaseSchema>> => {
      const { knowledgeBaseId } = parseWith(knowledgeBaseParamsSchema, request.params);
      return knowledge.retrieve(callerOf(request), knowledgeBaseId);
    },
  );

  app.patch(
    '/v1/knowledge-bases/:knowledgeBaseId',
    requires('knowledge:write', {
      operationId: 'updateKnowledgeBase',
      summary: "Change a knowledge base's name, description, chunking or metadata",
      description:
        'Fields left out keep their value. A new chunking applies to documents uploaded afterwards. The embedding model cannot change.',
      tag,
      params: knowledgeBaseParamsSchema,
      body: knowledgeBaseUpdateSchema,
      bodyExample: { description: 'The employee handbook, 2027 edition' },
      responses: {
        200: {
          description: 'The knowledge base as changed.',
          schema: knowledgeBaseSchema,
          example: { ...knowledgeBaseExample, description: 'The employee handbook, 2027 edition' },
        },
      },
      errors: [404],
    }),
    async (request): Promise<z.output<typeof knowledgeBaseSchema>> => {
      const { knowledgeBaseId } = parseWith(knowledgeBaseParamsSchema, request.params);
      const change = parseWith(knowledgeBaseUpdateSchema, request.body);
      return knowledge.update(callerOf(request), knowledgeBaseId, change);
    },
  );

  app.delete(
    '/v1/knowledge-bases/:knowledgeBaseId',
    requires('knowledge:write', {
      operationId: 'deleteKnowledgeBase',
      summary: 'Delete a knowledge base with its documents',
      tag,
      params: knowledgeBaseParamsSchema,
      responses: {
        200: {
          description: 'Deleted.',
          schema: knowledgeBaseDeletedSchema,
          example: { id: knowledgeBaseExample.id, object: 'knowledge_base.deleted', deleted: true },
        },
      },
      errors: [404],
    }),
    async (request): Promise<z.output<typeof knowledgeBaseDeletedSchema>> => {
      const { knowledgeBaseId } = parseWith(knowledgeBaseParamsSchema, request.params);
      return knowledge.remove(callerOf(request), knowledgeBaseId);
    },
  );

  app.get(
    '/v1/knowledge-bases/:knowledgeBaseId/documents',
    requires('knowledge:read', {
      operationId: 'listKnowledgeDocuments',
      summary: "List a knowledge base's documents",
      description: `Every status (queued, processing, ready, failed). ${pagination}`,
      tag,
      params: knowledgeBaseParamsSchema,
      query: listQuerySchema,
      responses: {
        200: {
          description: 'A page of documents.',
          schema: knowledgeDocumentPageSchema,
          example: knowledgeDocumentPageExample,
        },
      },
      errors: [404],
    }),
    async (request): Promise<z.output<typeof knowledgeDocumentPageSchema>> => {
      const { knowledgeBaseId } = parseWith(knowledgeBaseParamsSchema, request.params);
      const query = parseWith(listQuerySchema, request.query);
      return knowledge.listDocuments(callerOf(request), knowledgeBaseId, query);
    },
  );

  app.get(
    '/v1/knowledge-bases/:knowledgeBaseId/documents/:documentId',
    requires('knowledge:read', {
      operationId: 'getKnowledgeDocument',
      summary: 'Get a document and its ingestion state',
      tag,
      params: documentParamsSchema,
      responses: {
        200: {
          description: 'The document.',
          schema: knowledgeDocumentSchema,
          example: knowledgeDocumentExample,
        },
      },
      errors: [404],
    }),
    async (request): Promise<z.output<typeof knowledgeDocumentSchema>> => {
      const { knowledgeBaseId, documentId } = parseWith(documentParamsSchema, request.params);
      return knowledge.retrieveDocument(callerOf(request), knowledgeBaseId, documentId);
    },
  );

  app.delete(
    '/v1/knowledge-bases/:knowledgeBaseId/documents/:documentId',
    requires('knowledge:write', {
      operationId: 'deleteKnowledgeDocument',
      summary: 'Delete a document and its chunks',
      tag,
      params: documentParamsSchema,
      responses: {
        200: {
          description: 'Deleted.',
          schema: knowledgeDocumentDeletedSchema,
          example: { id: knowledgeDocumentExample.id, object: 'knowledge_document.deleted', deleted: true },
        },
      },
      errors: [404],
    }),
    async (request): Promise<z.output<typeof knowledgeDocumentDeletedSchema>> => {
      const { knowledgeBaseId, documentId } = parseWith(documentParamsSchema, request.params);
      return knowledge.removeDocument(callerOf(request), knowledgeBaseId, documentId);
    },
  );

  app.post(
    '/v1/knowledge-bases/:knowledgeBaseId/search',
    requires('knowledge:read', {
      operationId: 'searchKnowledgeBase',
      summary: 'Search a knowledge base',
      description:
        '`hybrid` (default) fuses vector and keyword ranks; `vector` and `keyword` use one side. The query is embedded with the knowledge base’s model (billed as an embedding request). `filter` keeps chunks whose metadata contains every given value.',
      tag,
      params: knowledgeBaseParamsSchema,
      body: searchRequestSchema,
      bodyExample: { query: 'How many days of leave?', top_k: 5, mode: 'hybrid', filter: { team: 'people' } },
      responses: {
        200: {
          description: 'The best-matching chunks, best first.',
          schema: knowledgeSearchResultSchema,
          example: knowledgeSearchResultExample,
        },
      },
      errors: [402, 404, 502, 504],
    }),
    async (request, reply): Promise<z.output<typeof knowledgeSearchResultSchema>> => {
      const { knowledgeBaseId } = parseWith(knowledgeBaseParamsSchema, request.params);
      const body = parseWith(searchRequestSchema, request.body);
      return knowledge.search(callerOf(request), callOf(request, reply), knowledgeBaseId, body);
    },
  );
}
