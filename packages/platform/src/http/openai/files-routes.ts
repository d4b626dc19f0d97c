import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errors } from '../../errors/index.ts';
import { uploadPurposes } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { multipartUploadError } from '../multipart-upload-error.ts';
import { parseWith } from '../parse-body.ts';
import type { RouteContext } from '../route-context.ts';
import { requires } from '../route-permission.ts';
import {
  deletedFileSchema,
  fileObjectExample,
  fileObjectSchema,
  filePageSchema,
  fileUploadFormSchema,
} from './batch-file-schemas.ts';

const tag = 'OpenAI: files';
type Output<Schema extends z.ZodType> = Promise<z.output<Schema>>;

const fileParamsSchema = z.strictObject({ fileId: z.string().min(1).max(128) });

const fileListQuerySchema = z.strictObject({
  purpose: z.enum([...uploadPurposes, 'batch_output']).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(10_000).describe('Default: every file.'),
  after: z.string().min(1).max(128).optional(),
  order: z.enum(['asc', 'desc']).default('desc'),
});

/** Reads the `file` and `purpose` parts of an upload; the file's bytes stop at `maximumBytes`. */
async function readUpload(request: FastifyRequest, maximumBytes: number) {
  if (!request.isMultipart()) throw errors.multipartRequired(request.headers['content-type']);
  let file: { filename: string; content: Buffer } | undefined;
  let purpose: string | undefined;
  const parts = request.parts({
    limits: { fileSize: maximumBytes, files: 1, fields: 4, fieldSize: 1024, parts: 5 },
  });
  for await (const part of parts) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file') {
        throw errors.invalidRequest(
          part.fieldname,
          `Unexpected file field '${part.fieldname}'; send it as 'file'.`,
        );
      }
      file = { filename: part.filename, content: await part.toBuffer() };
    } else if (part.fieldname === 'purpose') {
      purpose = String(part.value);
    } else {
      throw errors.invalidRequest(part.fieldname, `Unrecognized form field '${part.fieldname}'.`);
    }
  }
  if (!file) throw errors.invalidRequest('file', "Missing required parameter: 'file'.");
  if (purpose === undefined) throw errors.invalidRequest('purpose', "Missing required parameter: 'purpose'.");
  return { ...file, purpose };
}

/**
 * OpenAI's Files API. The multipart parser is registered in this plugin only, so no other route
 * accepts multipart bodies; the upload's size limit is `files.max_bytes` (413 above).
 */
export async function registerFilesRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  await app.register(multipart, { throwFileSizeLimit: true });

  app.post(
    '/v1/files',
    requires('models:invoke', {
      operationId: 'uploadFile',
      summary: 'Upload a file',
      description:
        'A `batch` file is JSONL checked line by line on upload (a bad line is a 400 naming it); at most `files.max_bytes`.',
      tag,
      body: { contentType: 'multipart/form-data', schema: fileUploadFormSchema },
      responses: { 200: { description: 'The file.', schema: fileObjectSchema, example: fileObjectExample } },
    }),
    async (request): Output<typeof fileObjectSchema> => {
      const maximumBytes = context.config.files.max_bytes;
      try {
        const upload = await readUpload(request, maximumBytes);
        return await context.files.upload({ caller: callerOf(request), ...upload });
      } catch (caught) {
        throw multipartUploadError(caught, maximumBytes);
      }
    },
  );

  app.get(
    '/v1/files',
    requires('models:read', {
      operationId: 'listFiles',
      summary: "List the organisation's files",
      tag,
      query: fileListQuerySchema,
      responses: {
        200: {
          description: 'A page of files, newest first unless `order=asc`.',
          schema: filePageSchema,
          example: {
            object: 'list',
            data: [fileObjectExample],
            first_id: fileObjectExample.id,
            last_id: fileObjectExample.id,
            has_more: false,
          },
        },
      },
    }),
    async (request): Output<typeof filePageSchema> => {
      const query = parseWith(fileListQuerySchema, request.query);
      return context.files.list(callerOf(request), {
        limit: query.limit,
        order: query.order,
        ...(query.purpose === undefined ? {} : { purpose: query.purpose }),
        ...(query.after === undefined ? {} : { after: query.after }),
      });
    },
  );

  app.get(
    '/v1/files/:fileId',
    requires('models:read', {
      operationId: 'getFile',
      summary: 'Get a file',
      tag,
      params: fileParamsSchema,
      responses: { 200: { description: 'The file.', schema: fileObjectSchema, example: fileObjectExample } },
      errors: [404],
    }),
    async (request): Output<typeof fileObjectSchema> => {
      const { fileId } = parseWith(fileParamsSchema, request.params);
      return context.files.retrieve(callerOf(request), fileId);
    },
  );

  app.get(
    '/v1/files/:fileId/content',
    requires('models:read', {
      operationId: 'getFileContent',
      summary: "Get a file's content",
      tag,
      params: fileParamsSchema,
      responses: {
        200: {
          description: 'The bytes as uploaded (a batch output or error file is JSONL).',
          contentType: 'application/octet-stream',
        },
      },
      errors: [404],
    }),
    async (request, reply) => {
      const { fileId } = parseWith(fileParamsSchema, request.params);
      const { content } = await context.files.content(callerOf(request), fileId);
      reply.header('content-type', 'application/octet-stream');
      return Buffer.from(content.buffer, content.byteOffset, content.byteLength);
    },
  );

  app.delete(
    '/v1/files/:fileId',
    requires('models:invoke', {
      operationId: 'deleteFile',
      summary: 'Delete a file',
      tag,
      params: fileParamsSchema,
      responses: {
        200: {
          description: 'The file is deleted.',
          schema: deletedFileSchema,
          example: { id: fileObjectExample.id, object: 'file', deleted: true },
        },
      },
      errors: [404],
    }),
    async (request): Output<typeof deletedFileSchema> => {
      const { fileId } = parseWith(fileParamsSchema, request.params);
      return context.files.remove(callerOf(request), fileId);
    },
  );
}
