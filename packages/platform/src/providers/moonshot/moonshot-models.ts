import type { OpenAICompatibleCatalogEntry, SamplingParameter } from '../openai-compatible/index.ts';

/*
 * Moonshot's (Kimi's) current models, from https://platform.kimi.ai/docs/pricing/chat (context
 * lengths and USD prices; cache-hit input is the cached price) and
 * https://platform.kimi.ai/docs/models, as of 2026-09. The kimi-k2 series (kimi-k2-0905-preview,
 * kimi-k2-turbo-preview), kimi-k2.5 and moonshot-v1-* are listed there as deprecated or retired;
 * configure them under `providers.moonshot.models` if an account still has them.
 * Output may use whatever the prompt leaves of the context (https://platform.kimi.ai/docs/guide/troubleshooting).
 */

/** https://platform.kimi.ai/docs/api/models-overview: fixed for these models; any value sent is an error. */
const fixedSampling: readonly SamplingParameter[] = [
  'temperature',
  'top_p',
  'n',
  'presence_penalty',
  'frequency_penalty',
];

export const moonshotModels: readonly OpenAICompatibleCatalogEntry[] = [
  {
    id: 'kimi-k3',
    kind: 'chat',
    contextWindow: 1_048_576,
    maxOutputTokens: 1_048_576,
    capabilities: { vision: true },
    omittedParameters: fixedSampling,
    price: { input_per_million: '3.00', output_per_million: '15.00', cached_input_per_million: '0.30' },
  },
  {
    id: 'kimi-k2.7-code',
    kind: 'chat',
    contextWindow: 262_144,
    maxOutputTokens: 262_144,
    capabilities: { vision: true },
    omittedParameters: fixedSampling,
    price: { input_per_million: '0.95', output_per_million: '4.00', cached_input_per_million: '0.19' },
  },
  {
    id: 'kimi-k2.7-code-highspeed',
    kind: 'chat',
    contextWindow: 262_144,
    maxOutputTokens: 262_144,
    capabilities: { vision: true },
    price: { input_per_million: '1.90', output_per_million: '8.00', cached_input_per_million: '0.38' },
  },
  {
    id: 'kimi-k2.6',
    kind: 'chat',
    contextWindow: 262_144,
    maxOutputTokens: 262_144,
    capabilities: { vision: true },
    omittedParameters: fixedSampling,
    price: { input_per_million: '0.95', output_per_million: '4.00', cached_input_per_million: '0.16' },
  },
];
