/** Limits of one embedding call: OpenAI accepts up to 2,048 inputs and 300,000 tokens per request. */
export interface EmbeddingBatchLimits {
  maxInputs: number;
  maxTokens: number;
}

export const defaultEmbeddingBatchLimits: EmbeddingBatchLimits = { maxInputs: 128, maxTokens: 100_000 };

/** Groups texts (with their token counts) into consecutive batches within the limits; a text is never split. */
export function planEmbeddingBatches(
  tokenCounts: readonly number[],
  limits: EmbeddingBatchLimits = defaultEmbeddingBatchLimits,
): Array<{ start: number; end: number }> {
  const batches: Array<{ start: number; end: number }> = [];
  let start = 0;
  let tokens = 0;
  tokenCounts.forEach((count, index) => {
    const full = index - start >= limits.maxInputs || (index > start && tokens + count > limits.maxTokens);
    if (full) {
      batches.push({ start, end: index });
      start = index;
      tokens = 0;
    }
    tokens += count;
  });
  if (start < tokenCounts.length) batches.push({ start, end: tokenCounts.length });
  return batches;
}

/**
 * Embeds texts in batches, one call at a time (each call is admitted, metered and billed by the
 * gateway), and returns one vector per text in order. `embedBatch` receives the batch's index.
 */
export async function embedInBatches(
  texts: readonly string[],
  tokenCounts: readonly number[],
  embedBatch: (texts: string[], batchIndex: number) => Promise<number[][]>,
  limits: EmbeddingBatchLimits = defaultEmbeddingBatchLimits,
): Promise<number[][]> {
  const vectors: number[][] = [];
  const batches = planEmbeddingBatches(tokenCounts, limits);
  for (const [batchIndex, batch] of batches.entries()) {
    const input = texts.slice(batch.start, batch.end);
    const embedded = await embedBatch(input, batchIndex);
    if (embedded.length !== input.length) {
      throw new Error(`The embedding model returned ${embedded.length} vectors for ${input.length} inputs.`);
    }
    vectors.push(...embedded);
  }
  return vectors;
}
