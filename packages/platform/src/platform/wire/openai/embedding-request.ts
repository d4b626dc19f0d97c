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

/** The OpenAI `list` of embeddings for a finished call; `model` is the public id that served it. */
export function toEmbeddingList(
  outcome: {
    result: { embeddings: readonly (readonly number[])[] };
    model: { publicId: string };
    usage: { promptTokens: number };
  },
  encoding: EmbeddingRequestBody['encoding_format'],
) {
  const base64 = encoding === 'base64';
  return {
    object: 'list' as const,
    data: outcome.result.embeddings.map((vector, index) => ({
      object: 'embedding' as const,
      index,
      embedding: base64 ? encodeEmbeddingBase64(vector) : vector,
    })),
    model: outcome.model.publicId,
    usage: { prompt_tokens: outcome.usage.promptTokens, total_tokens: outcome.usage.promptTokens },
  };
}
