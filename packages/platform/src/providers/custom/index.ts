export {
  type CustomOpenAICompatibleProviderOptions,
  createCustomOpenAICompatibleProvider,
} from './custom-openai-compatible-provider.ts';
