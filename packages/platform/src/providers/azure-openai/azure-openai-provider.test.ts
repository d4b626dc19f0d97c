import { expect } from 'vitest';
import { runProviderContract } from '../contract/provider.contract.ts';
import { runResponsesContract } from '../contract/responses.contract.ts';
import { createAzureOpenAIProvider } from './azure-openai-provider.ts';

const chatDeployment = {
  deployment: 'gpt-4o-prod',
  model: 'gpt-4o',
  kind: 'chat',
  contextWindow: 128_000,
  maxOutputTokens: 16_384,
} as const;

runProviderContract({
  name: 'azure-openai',
  fixtures: new URL('./__fixtures__/', import.meta.url),
  createProvider: (endpoint) =>
    createAzureOpenAIProvider({
      endpoint,
      apiKey: () => 'azure-configured-key',
      deployments: [
        chatDeployment,
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

runResponsesContract({
  name: 'azure-openai',
  fixtures: new URL('./__fixtures__/', import.meta.url),
  createProvider: (endpoint) =>
    createAzureOpenAIProvider({
      endpoint,
      apiKey: () => 'azure-configured-key',
      deployments: [
        chatDeployment,
        {
          deployment: 'o4-mini-prod',
          model: 'o4-mini',
          kind: 'chat',
          contextWindow: 200_000,
          maxOutputTokens: 100_000,
          capabilities: { reasoning: true },
        },
      ],
    }),
  configuredApiKey: 'azure-configured-key',
  chatModel: 'gpt-4o-prod',
  reasoningModel: 'o4-mini-prod',
  expectApiKey(request, apiKey) {
    expect(request.headers['api-key']).toBe(apiKey);
  },
  // Azure serves the Responses API on its v1 surface, the deployment in the body's `model`.
  responsesPath: /^\/openai\/v1\/responses$/,
  chatPath: /^\/openai\/deployments\/gpt-4o-prod\/chat\/completions\?api-version=2024-10-21$/,
});
