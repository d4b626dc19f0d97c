import type { Provider } from '../../model/index.ts';
import type { NamedProviderOptions } from '../openai-compatible/index.ts';
import { createOpenAICompatibleProvider, mergeModelSettings } from '../openai-compatible/index.ts';
import { moonshotModels } from './moonshot-models.ts';

/**
 * Moonshot / Kimi (`moonshot/…`). Its docs name the output limit `max_completion_tokens`; usage in
 * streams arrives inside the finishing choice and cached tokens as `usage.cached_tokens`, which the
 * shared stream reader understands.
 */
export function createMoonshotProvider(options: NamedProviderOptions): Provider {
  return createOpenAICompatibleProvider({
    ...options,
    name: 'moonshot',
    baseUrl: options.baseUrl ?? 'https://api.moonshot.ai/v1',
    models: mergeModelSettings(moonshotModels, options.models),
    maxTokensField: 'max_completion_tokens',
  });
}
