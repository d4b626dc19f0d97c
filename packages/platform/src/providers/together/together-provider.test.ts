import { expect } from 'vitest';
import { runProviderContract } from '../contract/provider.contract.ts';
import { createTogetherProvider } from './together-provider.ts';

runProviderContract({
  name: 'together',
  fixtures: new URL('./__fixtures__/', import.meta.url),
  createProvider: (baseUrl) => createTogetherProvider({ apiKey: () => 'together-configured-key', baseUrl }),
  configuredApiKey: 'together-configured-key',
  chatModel: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
  embeddingModel: 'BAAI/bge-large-en-v1.5',
  expectApiKey(request, apiKey) {
    expect(request.headers.authorization).toBe(`Bearer ${apiKey}`);
  },
  chatPath: /^\/chat\/completions$/,
  embeddingPath: /^\/embeddings$/,
});
