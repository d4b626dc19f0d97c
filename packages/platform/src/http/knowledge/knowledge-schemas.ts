import { z } from 'zod';

/**
 * The response schemas of the knowledge base API (the objects of platform/knowledge/knowledge-objects.ts:
 * snake_case, times in seconds since the epoch), with their examples. The routes declare their
 * handlers' return types from these, so the compiler keeps the services' objects and the document in step.
 */

const unixSeconds = z.number().int().describe('Seconds since the epoch.');
const metadataObjectSchema = z.record(z.string(), z.unknown());

export const knowledgeBaseSchema = z
  .object({
    id: z.string(),
    object: z.literal('knowledge_base'),
    name: z.string(),
    description: z.string().nullable(),
    embedding_model: z.string().describe('Fixed once chosen: stored vectors compare only with its own.'),
    embedding_dimensions: z.number().int().nullable().describe('Null until the first document is embedded.'),
    chunking: z.object({ max_tokens: z.number().int(), overlap_tokens: z.number().int() }),
    metadata: metadataObjectSchema,
    document_count: z.number().int().describe('Ready documents.'),
    chunk_count: z.number().int().describe('Chunks of the ready documents.'),
    created_at: unixSeconds,
    updated_at: unixSeconds,
  })
  .meta({ id: 'KnowledgeBase', description: 'A collection of documents searched together.' });

export const knowledgeBaseExample = {
  id: 'kb_7Qm2Lx9Tb4cW1zRf',
  object: 'knowledge_base',
  name: 'Handbook',
  description: 'The employee handbook',
  embedding_model: 'sim/embed',
  embedding_dimensions: 64,
  chunking: { max_tokens: 400, overlap_tokens: 60 },
  metadata: { team: 'people' },
  document_count: 3,
  chunk_count: 41,
  created_at: 1796659200,
  updated_at: 1796659200,
} satisfies z.output<typeof knowledgeBaseSchema>;

export const knowledgeDocumentSchema = z
  .object({
    id: z.string(),
    object: z.literal('knowledge_document'),
    knowledge_base_id: z.string(),
    external_id: z
      .string()
      .nullable()
      .describe('Your id for the document: uploading another with the same id replaces it.'),
    title: z.string(),
    metadata: metadataObjectSchema.describe(
      'Filterable metadata; file uploads add `source_format` and `filename` (and `pages` for a PDF).',
    ),
    status: z.enum(['queued', 'processing', 'ready', 'failed']),
    error: z
      .object({ code: z.string(), message: z.string() })
      .nullable()
      .describe('Why ingestion failed; null unless `failed`.'),
    character_count: z.number().int(),
    chunk_count: z.number().int().describe('Chunks of the document, counted at upload.'),
    chunks_embedded: z
      .number()
      .int()
      .describe("Chunks embedded so far: the ingestion's progress (equal to `chunk_count` once ready)."),
    created_at: unixSeconds,
    updated_at: unixSeconds,
  })
  .meta({ id: 'KnowledgeDocument', description: 'A document of a knowledge base and its ingestion state.' });

export const knowledgeDocumentExample = {
  id: 'doc_4Kw2Qz6cV3xB8hTn',
  object: 'knowledge_document',
  knowledge_base_id: 'kb_7Qm2Lx9Tb4cW1zRf',
  external_id: 'handbook-leave',
  title: 'Leave policy',
  metadata: { team: 'people' },
  status: 'ready',
  error: null,
  character_count: 5120,
  chunk_count: 14,
  chunks_embedded: 14,
  created_at: 1796659200,
  updated_at: 1796659205,
} satisfies z.output<typeof knowledgeDocumentSchema>;

export const queuedDocumentExample = {
  ...knowledgeDocumentExample,
  status: 'queued',
  chunks_embedded: 0,
  updated_at: 1796659200,
} satisfies z.output<typeof knowledgeDocumentSchema>;

/** A knowledge page: keyset pagination, `after` the `last_id` of the previous page. */
function pageSchema<Item extends z.ZodType>(item: Item, id: string) {
  return z
    .object({
      object: z.literal('list'),
      data: z.array(item),
      first_id: z.string().nullable(),
      last_id: z.string().nullable().describe('Pass it as `after` for the next page.'),
      has_more: z.boolean(),
    })
    .meta({ id });
}

export const knowledgeBasePageSchema = pageSchema(knowledgeBaseSchema, 'KnowledgeBaseList');
export const knowledgeDocumentPageSchema = pageSchema(knowledgeDocumentSchema, 'KnowledgeDocumentList');

export const knowledgeBasePageExample = {
  object: 'list',
  data: [knowledgeBaseExample],
  first_id: knowledgeBaseExample.id,
  last_id: knowledgeBaseExample.id,
  has_more: false,
} satisfies z.output<typeof knowledgeBasePageSchema>;

export const knowledgeDocumentPageExample = {
  object: 'list',
  data: [knowledgeDocumentExample],
  first_id: knowledgeDocumentExample.id,
  last_id: knowledgeDocumentExample.id,
  has_more: false,
} satisfies z.output<typeof knowledgeDocumentPageSchema>;

/** The documents of an upload: one document, or (bulk JSON, several files) a list of them. */
export const uploadedDocumentsSchema = z
  .union([
    knowledgeDocumentSchema,
    z.object({ object: z.literal('list'), data: z.array(knowledgeDocumentSchema) }),
  ])
  .meta({
    id: 'UploadedDocuments',
    description:
      'One document (a JSON body with one, or one file), else `{ object: "list", data }` with each.',
  });

export const knowledgeBaseDeletedSchema = z
  .object({ id: z.string(), object: z.literal('knowledge_base.deleted'), deleted: z.literal(true) })
  .meta({ id: 'KnowledgeBaseDeleted' });

export const knowledgeDocumentDeletedSchema = z
  .object({ id: z.string(), object: z.literal('knowledge_document.deleted'), deleted: z.literal(true) })
  .meta({ id: 'KnowledgeDocumentDeleted' });

const searchHitSchema = z
  .object({
    document_id: z.string(),
    external_id: z.string().nullable(),
    chunk_id: z.string(),
    title: z.string(),
    text: z.string().describe('The chunk’s text.'),
    start: z.number().int().describe("Character offset of `text` in the document's text."),
    end: z.number().int(),
    headings: z.array(z.string()).describe('The headings the chunk sits under.'),
    metadata: metadataObjectSchema,
    score: z.number(),
    vector_rank: z
      .number()
      .int()
      .nullable()
      .optional()
      .describe('Hybrid mode only: the rank on the vector side (null when that side did not find it).'),
    keyword_rank: z
      .number()
      .int()
      .nullable()
      .optional()
      .describe('Hybrid mode only: the rank on the keyword side (null when that side did not find it).'),
  })
  .meta({ id: 'KnowledgeSearchHit' });

export const knowledgeSearchResultSchema = z
  .object({
    object: z.literal('list'),
    mode: z.enum(['hybrid', 'vector', 'keyword']),
    data: z.array(searchHitSchema).describe('Best first.'),
  })
  .meta({ id: 'KnowledgeSearchResult', description: 'The chunks that best match a query.' });

export const knowledgeSearchResultExample = {
  object: 'list',
  mode: 'hybrid',
  data: [
    {
      document_id: knowledgeDocumentExample.id,
      external_id: 'handbook-leave',
      chunk_id: 'chk_2Vb7Qx4mT1zR9sLk',
      title: 'Leave policy',
      text: 'Employees get 25 days of paid leave a year.',
      start: 0,
      end: 44,
      headings: ['Leave'],
      metadata: { team: 'people' },
      score: 0.83,
      vector_rank: 1,
      keyword_rank: 2,
    },
  ],
} satisfies z.output<typeof knowledgeSearchResultSchema>;

/** The form of a multipart upload (the files and the fields that apply to each). */
export const documentUploadFormSchema = z
  .object({
    file: z
      .array(z.file())
      .min(1)
      .max(20)
      .describe(
        'The files (repeat the part for several, up to 20, each up to 25 MiB): PDF (text layer), HTML, CSV, JSON, Markdown or text.',
      ),
    title: z
      .string()
      .optional()
      .describe("Each document's title; default the source's own, else the file name."),
    metadata: z
      .string()
      .optional()
      .describe("A JSON object (as the field's text): every document's metadata."),
    external_id: z.string().optional().describe('Your id for the document (one file only).'),
  })
  .meta({ id: 'DocumentUploadForm' });
