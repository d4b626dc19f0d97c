import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errors } from '../../errors/index.ts';
import {
  documentBulkSchema,
  documentInputSchema,
  type KnowledgeServices,
  maximumUploadWaitSeconds,
  type UploadedFile,
  type UploadFields,
} from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { multipartUploadError } from '../multipart-upload-error.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';
import { callOf, knowledgeBaseParamsSchema } from './knowledge-call.ts';
import {
  documentUploadFormSchema,
  knowledgeDocumentExample,
  queuedDocumentExample,
  uploadedDocumentsSchema,
} from './knowledge-schemas.ts';

/** The largest file a knowledge-base upload takes (413 above). */
export const maximumUploadBytes = 25 * 1024 * 1024;
const maximumFiles = 20;
const formFields = new Set<keyof UploadFields>(['title', 'metadata', 'external_id']);

/** `?wait=N`: answer once the documents are ready or failed, waiting up to N seconds. */
const uploadQuerySchema = z.strictObject({
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(maximumUploadWaitSeconds)
    .default(0)
    .describe(
      'Seconds to wait for the documents to be ready or failed (0: answer at once). Settled in time: 201; else 202 with them as they are.',
    ),
});

/** A body with `documents` is a bulk upload; any other is one document. */
function documentsOf(body: unknown) {
  if (typeof body === 'object' && body !== null && 'documents' in body) {
    return { bulk: true, documents: parseWith(documentBulkSchema, body).documents };
  }
  return { bulk: false, documents: [parseWith(documentInputSchema, body)] };
}

/** The `file` parts (up to 20) and the form fields of a multipart upload. */
async function readUpload(request: FastifyRequest): Promise<{ files: UploadedFile[]; fields: UploadFields }> {
  const files: UploadedFile[] = [];
  const fields: UploadFields = {};
  const parts = request.parts({
    limits: { fileSize: maximumUploadBytes, files: maximumFiles, fields: 3, fieldSize: 64 * 1024 },
  });
  for await (const part of parts) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file') {
        throw errors.invalidRequest(
          part.fieldname,
          `Unexpected file field '${part.fieldname}'; send files as 'file'.`,
        );
      }
      files.push({
        bytes: await part.toBuffer(),
        filename: part.filename || 'upload',
        ...(part.mimetype ? { contentType: part.mimetype } : {}),
      });
    } else if (formFields.has(part.fieldname as keyof UploadFields)) {
      fields[part.fieldname as keyof UploadFields] = String(part.value);
    } else {
      throw errors.invalidRequest(part.fieldname, `Unrecognized form field '${part.fieldname}'.`);
    }
  }
  return { files, fields };
}

/**
 * `POST /v1/knowledge-bases/{id}/documents`: JSON (one document, or `documents` in bulk) or a
 * multipart upload of files in any supported format. The documents are queued for ingestion and
 * the answer is 202 with them (`queued`); with `?wait=N` it comes once every document is ready
 * or failed (201), or after N seconds with them as they are then (202). The multipart parser is
 * registered in this plugin only, so no other route accepts multipart bodies.
 */
export async function registerDocumentUploadRoute(
  app: FastifyInstance,
  knowledge: KnowledgeServices,
): Promise<void> {
  await app.register(multipart, { throwFileSizeLimit: true });
  app.post(
    '/v1/knowledge-bases/:knowledgeBaseId/documents',
    requires('knowledge:write', {
      operationId: 'addKnowledgeDocuments',
      summary: 'Add documents: JSON text (one or in bulk) or uploaded files',
      description: [
        'Two body forms. **multipart/form-data**: `file` parts (up to 20, 25 MiB each, PDF, HTML, CSV, JSON, Markdown or text) and optional `title`, `metadata` (JSON text) and `external_id` fields.',
        '**application/json**: one document `{ "text", "title"?, "metadata"?, "external_id"? }`, or `{ "documents": [ … ] }` (1–100) in bulk.',
        'The documents are queued for ingestion (chunked and embedded by background jobs; follow one with GET …/documents/{documentId}/events). The answer is 202 with them `queued`; with `?wait=N` it comes once every document is ready or failed (201), or after N seconds with them as they are then (202).',
        'A document with the `external_id` of an existing one replaces it. One document (or one file) is answered as the document, several as a list.',
      ].join('\n\n'),
      tag: 'Knowledge bases',
      params: knowledgeBaseParamsSchema,
      query: uploadQuerySchema,
      body: {
        contentType: 'multipart/form-data',
        schema: documentUploadFormSchema,
        description: 'Files to index, or (as `application/json`) documents as text: see the description.',
      },
      alternativeBodies: [
        {
          contentType: 'application/json',
          schema: z.union([documentBulkSchema, documentInputSchema]),
          description: 'One document, or `documents` in bulk.',
          example: {
            documents: [
              {
                text: 'Refunds are accepted within 30 days.',
                title: 'Refund policy',
                external_id: 'policy-7',
              },
            ],
          },
        },
      ],
      responses: {
        201: {
          description: 'With `?wait=`: every document is ready or failed.',
          schema: uploadedDocumentsSchema,
          example: knowledgeDocumentExample,
        },
        202: {
          description: 'The documents, queued (or, with `?wait=`, as they were when the wait ended).',
          schema: uploadedDocumentsSchema,
          example: { object: 'list', data: [queuedDocumentExample] },
        },
      },
      errors: [404],
    }),
    async (request, reply) => {
      const { knowledgeBaseId } = parseWith(knowledgeBaseParamsSchema, request.params);
      const { wait } = parseWith(uploadQuerySchema, request.query);
      const caller = callerOf(request);
      const call = callOf(request, reply);
      if (request.isMultipart()) {
        let result: Awaited<ReturnType<KnowledgeServices['addFiles']>>;
        try {
          const upload = await readUpload(request);
          result = await knowledge.addFiles(caller, call, knowledgeBaseId, upload.files, upload.fields, {
            waitSeconds: wait,
          });
        } catch (caught) {
          throw multipartUploadError(caught, maximumUploadBytes);
        }
        reply.code(wait > 0 && result.settled ? 201 : 202);
        return result.documents.length === 1
          ? result.documents[0]
          : { object: 'list', data: result.documents };
      }
      const { bulk, documents } = documentsOf(request.body);
      const result = await knowledge.addDocuments(caller, call, knowledgeBaseId, documents, {
        waitSeconds: wait,
        bulk,
      });
      reply.code(wait > 0 && result.settled ? 201 : 202);
      return bulk ? { object: 'list', data: result.documents } : result.documents[0];
    },
  );
}
