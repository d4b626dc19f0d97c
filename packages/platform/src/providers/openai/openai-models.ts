import type { OpenAICompatibleCatalogEntry } from '../openai-compatible/index.ts';

/*
 * OpenAI's default models. Prices: https://platform.openai.com/docs/pricing (standard tier, USD per
 * 1M tokens), read as quoted from that page by third-party price trackers in 2026; limits:
 * https://platform.openai.com/docs/models/<model>. OpenAI's own page was not reachable from here.
 */
export const openAIModels: readonly OpenAICompatibleCatalogEntry[] = [
  {
    id: 'gpt-4o',
    kind: 'chat',
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
    capabilities: { vision: true },
    price: { input_per_million: '2.50', output_per_million: '10.00', cached_input_per_million: '1.25' },
  },
  {
    id: 'gpt-4o-mini',
    kind: 'chat',
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
    capabilities: { vision: true },
    price: { input_per_million: '0.15', output_per_million: '0.60', cached_input_per_million: '0.075' },
  },
  {
    id: 'gpt-4.1',
    kind: 'chat',
    contextWindow: 1_047_576,
    maxOutputTokens: 32_768,
    capabilities: { vision: true },
    price: { input_per_million: '2.00', output_per_million: '8.00', cached_input_per_million: '0.50' },
  },
  {
    id: 'gpt-4.1-mini',
    kind: 'chat',
    contextWindow: 1_047_576,
    maxOutputTokens: 32_768,
    capabilities: { vision: true },
    price: { input_per_million: '0.40', output_per_million: '1.60', cached_input_per_million: '0.10' },
  },
  {
    id: 'o4-mini',
    kind: 'chat',
    contextWindow: 200_000,
    maxOutputTokens: 100_000,
    capabilities: { vision: true, reasoning: true },
    price: { input_per_million: '1.10', output_per_million: '4.40', cached_input_per_million: '0.275' },
  },
  {
    id: 'text-embedding-3-small',
    kind: 'embedding',
    contextWindow: 8191,
    maxOutputTokens: 0,
    dimensions: 1536,
    price: { input_per_million: '0.02', output_per_million: '0' },
  },
  {
    id: 'text-embedding-3-large',
    kind: 'embedding',
    contextWindow: 8191,
    maxOutputTokens: 0,
    dimensions: 3072,
    price: { input_per_million: '0.13', output_per_million: '0' },
  },
];
