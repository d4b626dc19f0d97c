import { z } from 'zod';

/** The request bodies and queries of the knowledge base API, validated at the HTTP boundary. */

export const defaultEmbeddingModel = 'sim/embed';

/** Filterable metadata: string keys with JSON scalars or arrays of them (matched by containment). */
const metadataValueSchema = z.union([
  z.string().max(1000),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.union([z.string().max(1000), z.number(), z.boolean()])).max(100),
]);
export const metadataSchema = z
  .record(z.string().min(1).max(64), metadataValueSchema)
  .refine((value) => Object.keys(value).length <= 64, 'at most 64 keys');

const chunkingSchema = z
  .strictObject({
    max_tokens: z.number().int().min(16).max(8192).default(400),
    overlap_tokens: z.number().int().min(0).max(4096).optional(),
  })
  .superRefine((value, context) => {
    if (value.overlap_tokens !== undefined && value.overlap_tokens >= value.max_tokens) {
      context.addIssue({
        code: 'custom',
        path: ['overlap_tokens'],
        message: `must be less than max_tokens (${value.max_tokens})`,
      });
    }
  })
  .transform((value) => ({
    maxTokens: value.max_tokens,
    overlapTokens: value.overlap_tokens ?? Math.min(60, Math.floor(value.max_tokens / 4)),
  }));

const nameSchema = z.string().trim().min(1).max(200);
const descriptionSchema = z.string().max(2000).nullable();

export const knowledgeBaseCreateSchema = z.strictObject({
  name: nameSchema,
  description: descriptionSchema.optional(),
  embedding_model: z.string().trim().min(1).max(200).default(defaultEmbeddingModel),
  chunking: chunkingSchema.optional(),
  metadata: metadataSchema.optional(),
});
export type KnowledgeBaseCreateRequest = z.output<typeof knowledgeBaseCreateSchema>;

/** The embedding model is fixed once chosen: stored vectors are only comparable with its own. */
export const knowledgeBaseUpdateSchema = z.strictObject({
  name: nameSchema.optional(),
  description: descriptionSchema.optional(),
  chunking: chunkingSchema.optional(),
  metadata: metadataSchema.optional(),
});
export type KnowledgeBaseUpdateRequest = z.output<typeof knowledgeBaseUpdateSchema>;

export const listQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  after: z.string().min(1).max(128).optional(),
});
export type ListQuery = z.output<typeof listQuerySchema>;

/** The largest document text accepted in JSON (the request body limit bounds it too). */
export const maximumDocumentCharacters = 1_000_000;

export const documentInputSchema = z.strictObject({
  text: z
    .string()
    .max(maximumDocumentCharacters)
    .refine((text) => text.trim() !== '', 'must contain some text'),
  title: z.string().max(500).default(''),
  metadata: metadataSchema.default({}),
  external_id: z.string().min(1).max(256).optional(),
});
export type DocumentInput = z.output<typeof documentInputSchema>;

export const documentBulkSchema = z.strictObject({
  documents: z.array(documentInputSchema).min(1).max(100),
});

export const searchRequestSchema = z.strictObject({
  query: z.string().trim().min(1).max(4000),
  top_k: z.number().int().min(1).max(100).default(10),
  mode: z.enum(['hybrid', 'vector', 'keyword']).default('hybrid'),
  filter: metadataSchema.optional(),
  min_score: z.number().min(-1).max(1).optional(),
});
export type SearchRequest = z.output<typeof searchRequestSchema>;
