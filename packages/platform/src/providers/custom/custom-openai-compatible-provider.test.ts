import { expect } from 'vitest';
import { runProviderContract } from '../contract/provider.contract.ts';
import { createCustomOpenAICompatibleProvider } from './custom-openai-compatible-provider.ts';

runProviderContract({
  name: 'custom (vLLM)',
  fixtures: new URL('./__fixtures__/', import.meta.url),
  createProvider: (baseUrl) =>
    createCustomOpenAICompatibleProvider({
      name: 'vllm',
      baseUrl: `${baseUrl}/v1`,
      apiKey: () => 'vllm-configured-key',
      models: [
        { id: 'meta-llama/Llama-3.1-8B-Instruct', kind: 'chat', contextWindow: 8192, maxOutputTokens: 4096 },
        { id: 'BAAI/bge-m3', kind: 'embedding', contextWindow: 8192, maxOutputTokens: 0, dimensions: 1024 },
      ],
    }),
  configuredApiKey: 'vllm-configured-key',
  chatModel: 'meta-llama/Llama-3.1-8B-Instruct',
  embeddingModel: 'BAAI/bge-m3',
  expectApiKey(request, apiKey) {
    expect(request.headers.authorization).toBe(`Bearer ${apiKey}`);
  },
  chatPath: /^\/v1\/chat\/completions$/,
  embeddingPath: /^\/v1\/embeddings$/,
});
