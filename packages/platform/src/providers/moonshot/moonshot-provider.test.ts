import { expect } from 'vitest';
import { runProviderContract } from '../contract/provider.contract.ts';
import { createMoonshotProvider } from './moonshot-provider.ts';

runProviderContract({
  name: 'moonshot',
  fixtures: new URL('./__fixtures__/', import.meta.url),
  createProvider: (baseUrl) => createMoonshotProvider({ apiKey: () => 'sk-moonshot-configured', baseUrl }),
  configuredApiKey: 'sk-moonshot-configured',
  // Why: the one current Kimi model whose sampling is not fixed, so the request carries temperature.
  chatModel: 'kimi-k2.7-code-highspeed',
  expectApiKey(request, apiKey) {
    expect(request.headers.authorization).toBe(`Bearer ${apiKey}`);
  },
  chatPath: /^\/chat\/completions$/,
});
