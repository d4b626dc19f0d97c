import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { KnowledgeServices } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { eventStreamQuerySchema, lastEventIdHeadersSchema, resumeAfterOf } from '../event-stream-resume.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';
import { ServerSentEventWriter } from '../server-sent-events.ts';
import { knowledgeBaseParamsSchema } from './knowledge-call.ts';

const documentParamsSchema = knowledgeBaseParamsSchema.extend({ documentId: z.string().min(1).max(128) });
/**
 * `GET /v1/knowledge-bases/{id}/documents/{docId}/events`: the document's ingestion events as
 * Server-Sent Events (`document.queued`, `document.progress`, `document.ready`,
 * `document.failed`), each with its sequence number as the SSE id. A client resumes after an
 * event with `Last-Event-ID` (or `?after=`); the stream ends after the terminal event, at once
 * for a document already ready or failed whose events were all read.
 */
export function registerDocumentEventsRoute(app: FastifyInstance, knowledge: KnowledgeServices): void {
  app.get(
    '/v1/knowledge-bases/:knowledgeBaseId/documents/:documentId/events',
    requires('knowledge:read', {
      operationId: 'streamKnowledgeDocumentEvents',
      summary: "Follow a document's ingestion events (Server-Sent Events)",
      description: [
        'A `text/event-stream`: each event has its type as the SSE `event`, its sequence number as the SSE `id`, and as `data` a JSON object `{ document_id, knowledge_base_id, sequence, type, data, created_at }` (`created_at` in seconds since the epoch).',
        'Types: `document.queued` and `document.progress` (`data`: `{ chunk_count, chunks_embedded }`), `document.ready`, `document.failed` (`data.error`: `{ code, message }`).',
        'The stream ends after the terminal event (at once for a document already ready or failed whose events were all read); a `: keep-alive` comment comes every 15 s. Resume with `Last-Event-ID` (or `?after=`).',
      ].join('\n\n'),
      tag: 'Knowledge bases',
      params: documentParamsSchema,
      query: eventStreamQuerySchema,
      headers: lastEventIdHeadersSchema,
      responses: {
        200: {
          description: 'The events, as Server-Sent Events.',
          contentType: 'text/event-stream',
        },
      },
      errors: [404],
    }),
    async (request, reply) => {
      const { knowledgeBaseId, documentId } = parseWith(documentParamsSchema, request.params);
      const after = resumeAfterOf(request);
      const caller = callerOf(request);
      // why before hijacking: an unknown knowledge base or document is a 404, not an empty stream.
      await knowledge.retrieveDocument(caller, knowledgeBaseId, documentId);
      reply.hijack();
      const writer = new ServerSentEventWriter(reply.raw);
      writer.open(200, { 'x-request-id': request.id });
      const keepAlive = setInterval(() => void writer.comment('keep-alive'), 15_000);
      let feed: { close(): Promise<void> } | null = null;
      let ended = false;
      const end = () => {
        ended = true;
        clearInterval(keepAlive);
        writer.end();
      };
      reply.raw.on('close', () => {
        clearInterval(keepAlive);
        void feed?.close();
      });
      try {
        feed = await knowledge.followDocumentEvents(
          caller,
          knowledgeBaseId,
          documentId,
          after,
          (event) =>
            writer.send(
              JSON.stringify({
                document_id: documentId,
                knowledge_base_id: knowledgeBaseId,
                sequence: event.sequence,
                type: event.type,
                data: event.data,
                created_at: Math.floor(event.createdAt.getTime() / 1000),
              }),
              event.type,
              String(event.sequence),
            ),
          (error) => {
            if (error) request.log.warn({ err: error }, 'knowledge document event stream failed');
            end();
          },
        );
        if (ended) await feed.close();
      } catch (error) {
        request.log.warn({ err: error }, 'knowledge document event stream failed');
        end();
      }
    },
  );
}
