import type { OpenAICompatibleCatalogEntry } from '../openai-compatible/index.ts';

/*
 * Together AI's default serverless models. Context lengths: https://docs.together.ai/docs/serverless-models
 * (the Qwen figure as mirrored by LiteLLM's catalog). Together publishes no separate output cap: input
 * plus max_tokens must fit the context length (https://docs.together.ai/docs/error-codes), so the
 * context length is the cap. Prices: https://www.together.ai/pricing as mirrored by third-party price
 * trackers; DeepSeek-V3's and the embedding model's prices could not be confirmed and are left out.
 */
export const togetherModels: readonly OpenAICompatibleCatalogEntry[] = [
  {
    id: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
    kind: 'chat',
    contextWindow: 131_072,
    maxOutputTokens: 131_072,
    price: { input_per_million: '0.88', output_per_million: '0.88' },
  },
  {
    id: 'meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo',
    kind: 'chat',
    contextWindow: 131_072,
    maxOutputTokens: 131_072,
    price: { input_per_million: '0.18', output_per_million: '0.18' },
  },
  {
    id: 'Qwen/Qwen2.5-72B-Instruct-Turbo',
    kind: 'chat',
    contextWindow: 32_768,
    maxOutputTokens: 32_768,
    price: { input_per_million: '1.20', output_per_million: '1.20' },
  },
  {
    id: 'deepseek-ai/DeepSeek-V3',
    kind: 'chat',
    contextWindow: 16_384,
    maxOutputTokens: 16_384,
  },
  {
    id: 'BAAI/bge-large-en-v1.5',
    kind: 'embedding',
    contextWindow: 512,
    maxOutputTokens: 0,
    dimensions: 1024,
  },
];
