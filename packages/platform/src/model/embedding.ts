export interface EmbeddingRequest {
  /** The provider's own model id, without the `provider/` prefix. */
  model: string;
  input: string[];
  /** Requested output dimensions, for models that can shorten their vectors. */
  dimensions?: number;
  user?: string;
}

export interface EmbeddingResult {
  model: string;
  embeddings: number[][];
  usage: { promptTokens: number } | null;
}

export interface EmbeddingModel {
  readonly provider: string;
  readonly modelId: string;
  embed(
    request: EmbeddingRequest,
    options: { signal?: AbortSignal; requestId: string; traceHeaders?: Readonly<Record<string, string>> },
  ): Promise<EmbeddingResult>;
}
