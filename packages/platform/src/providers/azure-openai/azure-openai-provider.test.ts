import { expect } from 'vitest';
import { runProviderContract } from '../contract/provider.contract.ts';
import { createAzureOpenAIProvider } from './azure-openai-provider.ts';

runProviderContract({
  name: 'azure-openai',
  fixtures: new URL('./__fixtures__/', import.meta.url),
  createProvider: (endpoint) =>
    createAzureOpenAIProvider({
      endpoint,
      apiKey: () => 'azure-configured-key',
      deployments: [
        {
          deployment: 'gpt-4o-prod',
          model: 'gpt-4o',
          kind: 'chat',
          contextWindow: 128_000,
          maxOutputTokens: 16_384,
        },
        {
          deployment: 'embeddings-small',
          model: 'text-embedding-3-small',
          kind: 'embedding',
          contextWindow: 8191,
          maxOutputTokens: 0,
          dimensions: 1536,
        },
      ],
    }),
  configuredApiKey: 'azure-configured-key',
  chatModel: 'gpt-4o-prod',
  embeddingModel: 'embeddings-small',
  expectApiKey(request, apiKey) {
    expect(request.headers['api-key']).toBe(apiKey);
    expect(request.headers.authorization).toBeUndefined();
  },
  chatPath: /^\/openai\/deployments\/gpt-4o-prod\/chat\/completions\?api-version=2024-10-21$/,
  embeddingPath: /^\/openai\/deployments\/embeddings-small\/embeddings\?api-version=2024-10-21$/,
});
