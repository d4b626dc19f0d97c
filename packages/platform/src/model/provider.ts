import type { LanguageModel } from './chat.ts';
import type { EmbeddingModel } from './embedding.ts';

export type ModelKind = 'chat' | 'embedding';

export interface ModelCapabilities {
  streaming: boolean;
  tools: boolean;
  jsonMode: boolean;
  vision: boolean;
  /** Takes a reasoning effort or thinking budget (OpenAI `reasoning_effort`, Anthropic `thinking`). */
  reasoning?: boolean;
}

/** What `/v1/models` shows about one model, and what routing and metering read. */
export interface ModelDescriptor {
  /** The public id, `provider/model`. */
  id: string;
  provider: string;
  /** The provider's own model id. */
  modelId: string;
  kind: ModelKind;
  contextWindow: number;
  maxOutputTokens: number;
  /** True for the built-in simulated provider, so nobody mistakes its answers for a real model's. */
  simulated: boolean;
  capabilities: ModelCapabilities;
  /** For embedding models: the default vector length. */
  dimensions?: number;
}

/** A provider is a factory of models over one wire protocol and one set of credentials. */
export interface Provider {
  readonly name: string;
  readonly simulated: boolean;
  listModels(): ModelDescriptor[];
  /** Throws a PlatformError (MODEL_NOT_FOUND) for an unknown model id. */
  languageModel(modelId: string): LanguageModel;
  /** Throws a PlatformError (MODEL_NOT_FOUND / MODEL_CAPABILITY_MISSING) when not an embedding model. */
  embeddingModel(modelId: string): EmbeddingModel;
}

/** A catalog price in USD per million tokens, as decimal text (metering turns it into exact integers). */
export interface CatalogPrice {
  input_per_million: string;
  output_per_million: string;
  cached_input_per_million?: string;
  cache_write_input_per_million?: string;
  cache_write_1h_input_per_million?: string;
  /** Percent off every token of a batch line, as the provider's batch API charges. */
  batch_discount_percent?: number;
}
