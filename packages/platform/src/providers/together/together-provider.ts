import type { Provider } from '../../model/index.ts';
import type { NamedProviderOptions } from '../openai-compatible/index.ts';
import { createOpenAICompatibleProvider, mergeModelSettings } from '../openai-compatible/index.ts';
import { togetherModels } from './together-models.ts';

/** Together AI (`together/…`; its model ids contain '/', e.g. `together/meta-llama/Llama-3.3-70B-Instruct-Turbo`). */
export function createTogetherProvider(options: NamedProviderOptions): Provider {
  return createOpenAICompatibleProvider({
    ...options,
    name: 'together',
    baseUrl: options.baseUrl ?? 'https://api.together.xyz/v1',
    models: mergeModelSettings(togetherModels, options.models),
  });
}
