import type { Provider } from '../../model/index.ts';
import type { NamedProviderOptions } from '../openai-compatible/index.ts';
import { createOpenAICompatibleProvider, mergeModelSettings } from '../openai-compatible/index.ts';
import { openAIModels } from './openai-models.ts';

/**
 * OpenAI (`openai/…`): prefers `max_completion_tokens`, takes our request id as `X-Client-Request-Id`,
 * and serves Responses API requests natively at `/responses`.
 */
export function createOpenAIProvider(options: NamedProviderOptions): Provider {
  return createOpenAICompatibleProvider({
    ...options,
    name: 'openai',
    baseUrl: options.baseUrl ?? 'https://api.openai.com/v1',
    models: mergeModelSettings(openAIModels, options.models),
    maxTokensField: 'max_completion_tokens',
    requestIdHeader: 'x-client-request-id',
    nativeResponses: true,
  });
}
