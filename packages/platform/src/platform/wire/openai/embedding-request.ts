import { z } from 'zod';

/** The OpenAI embeddings body. Token-id arrays are refused: models differ in their tokenizers. */
export const embeddingRequestSchema = z.strictObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string()).min(1).max(2048)]),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().min(1).max(4096).optional(),
  user: z.string().max(256).optional(),
});

export type EmbeddingRequestBody = z.output<typeof embeddingRequestSchema>;

/** A vector as OpenAI's base64 encoding: little-endian float32 bytes. */
export function encodeEmbeddingBase64(vector: readonly number[]): string {
  const buffer = Buffer.alloc(vector.length * 4);
  for (let index = 0; index < vector.length; index++) buffer.writeFloatLE(vector[index]!, index * 4);
  return buffer.toString('base64');
}
