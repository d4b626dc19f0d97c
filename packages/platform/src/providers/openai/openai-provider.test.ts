import { expect } from 'vitest';
import { runProviderContract } from '../contract/provider.contract.ts';
import { runResponsesContract } from '../contract/responses.contract.ts';
import { createOpenAIProvider } from './openai-provider.ts';

runProviderContract({
  name: 'openai',
  fixtures: new URL('./__fixtures__/', import.meta.url),
  createProvider: (baseUrl) => createOpenAIProvider({ apiKey: () => 'sk-openai-configured', baseUrl }),
  configuredApiKey: 'sk-openai-configured',
  chatModel: 'gpt-4o-mini',
  embeddingModel: 'text-embedding-3-small',
  expectApiKey(request, apiKey) {
    expect(request.headers.authorization).toBe(`Bearer ${apiKey}`);
  },
  chatPath: /^\/chat\/completions$/,
  embeddingPath: /^\/embeddings$/,
});

runResponsesContract({
  name: 'openai',
  fixtures: new URL('./__fixtures__/', import.meta.url),
  createProvider: (baseUrl) => createOpenAIProvider({ apiKey: () => 'sk-openai-configured', baseUrl }),
  configuredApiKey: 'sk-openai-configured',
  chatModel: 'gpt-4o-mini',
  reasoningModel: 'o4-mini',
  expectApiKey(request, apiKey) {
    expect(request.headers.authorization).toBe(`Bearer ${apiKey}`);
  },
  responsesPath: /^\/responses$/,
  chatPath: /^\/chat\/completions$/,
});
