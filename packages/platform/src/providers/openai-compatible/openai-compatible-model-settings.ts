import type { ModelCapabilities, ModelKind } from '../../model/index.ts';
import type { MaxTokensField, SamplingParameter } from './convert-to-openai-compatible-request.ts';

/** One model an OpenAI-compatible provider serves. */
export interface OpenAICompatibleModelSettings {
  /** The provider's model id; the public id is `provider/id` (it may itself contain '/'). */
  id: string;
  kind: ModelKind;
  contextWindow: number;
  /** 0 for embedding models. */
  maxOutputTokens: number;
  /** Merged over the defaults: chat models stream, call tools and do JSON mode; none see images. */
  capabilities?: Partial<ModelCapabilities>;
  /** Default vector length of an embedding model. */
  dimensions?: number;
  /** Overrides the provider's output-limit field for this model. */
  maxTokensField?: MaxTokensField;
  /** Sampling parameters the provider fixes for this model and rejects when sent. */
  omittedParameters?: readonly SamplingParameter[];
}

/** USD per million tokens, as decimal strings (the shape of `prices:` in kimi.config.yaml). */
export interface ModelPrice {
  input_per_million: string;
  output_per_million: string;
  cached_input_per_million?: string;
}

/** A built-in catalog entry: the settings and, where we could confirm it, the list price. */
export interface OpenAICompatibleCatalogEntry extends OpenAICompatibleModelSettings {
  price?: ModelPrice;
}

/** The catalog with configured models laid over it: a configured id replaces the built-in entry. */
export function mergeModelSettings(
  catalog: readonly OpenAICompatibleModelSettings[],
  configured: readonly OpenAICompatibleModelSettings[] = [],
): OpenAICompatibleModelSettings[] {
  const byId = new Map<string, OpenAICompatibleModelSettings>();
  for (const model of [...catalog, ...configured]) byId.set(model.id, model);
  return [...byId.values()];
}

/** A catalog's prices keyed by public model id (`provider/model`), for the price table. */
export function pricesFromCatalog(
  provider: string,
  catalog: readonly OpenAICompatibleCatalogEntry[],
): Record<string, ModelPrice> {
  const prices: Record<string, ModelPrice> = {};
  for (const entry of catalog)
    if (entry.price !== undefined) prices[`${provider}/${entry.id}`] = { ...entry.price };
  return prices;
}
