export {
  buildOpenAICompatibleProvider,
  type ProviderConventions,
} from './build-openai-compatible-provider.ts';
export type { MaxTokensField, SamplingParameter } from './convert-to-openai-compatible-request.ts';
export type { NamedProviderOptions } from './named-provider-options.ts';
export type { OpenAIErrorObject } from './openai-compatible-api.ts';
export {
  joinUrl,
  type OpenAICompatibleConnection,
  type OpenAICompatibleOperation,
} from './openai-compatible-connection.ts';
export type { ErrorMapper, UpstreamFailure } from './openai-compatible-error.ts';
export {
  type ModelPrice,
  mergeModelSettings,
  type OpenAICompatibleCatalogEntry,
  type OpenAICompatibleModelSettings,
  pricesFromCatalog,
} from './openai-compatible-model-settings.ts';
export {
  createOpenAICompatibleProvider,
  type OpenAICompatibleProviderOptions,
} from './openai-compatible-provider.ts';
