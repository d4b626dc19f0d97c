export { openAIModels } from './openai-models.ts';
export { createOpenAIProvider } from './openai-provider.ts';
