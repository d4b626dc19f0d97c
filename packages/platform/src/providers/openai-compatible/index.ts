export {
  buildOpenAICompatibleProvider,
  type ProviderConventions,
} from './build-openai-compatible-provider.ts';
export type { MaxTokensField, SamplingParameter } from './convert-to-openai-compatible-request.ts';
export {
  type CustomOpenAICompatibleProviderOptions,
  createCustomOpenAICompatibleProvider,
} from './custom-openai-compatible-provider.ts';
export { moonshotModels } from './moonshot-models.ts';
export { createMoonshotProvider } from './moonshot-provider.ts';
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
export { openAIModels } from './openai-models.ts';
export { createOpenAIProvider } from './openai-provider.ts';
export { togetherModels } from './together-models.ts';
export { createTogetherProvider } from './together-provider.ts';
