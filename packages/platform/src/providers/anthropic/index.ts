export {
  type AnthropicModelPrices,
  type AnthropicModelSettings,
  anthropicModels,
  anthropicPrices,
} from './anthropic-models.ts';
export { type AnthropicProviderOptions, createAnthropicProvider } from './anthropic-provider.ts';
