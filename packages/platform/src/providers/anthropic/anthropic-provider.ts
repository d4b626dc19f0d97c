import { errors } from '../../errors/index.ts';
import type { LanguageModel, ModelDescriptor, Provider } from '../../model/index.ts';
import type { UpstreamFetch } from '../http/index.ts';
import { providerName } from './anthropic-error.ts';
import { createAnthropicLanguageModel } from './anthropic-language-model.ts';
import { type AnthropicModelSettings, anthropicModels } from './anthropic-models.ts';

/** How to reach Anthropic; every I/O dependency is injectable. */
export interface AnthropicProviderOptions {
  /** Default https://api.anthropic.com. */
  baseUrl?: string;
  /** Read on every call, never cached, so a rotated key takes effect at once. */
  apiKey: () => string | undefined;
  /** The `anthropic-version` header; default 2023-06-01. */
  version?: string;
  /** The models offered; default the catalog in anthropic-models.ts. */
  models?: readonly AnthropicModelSettings[];
  fetch?: UpstreamFetch;
}

/**
 * The `anthropic` provider: Claude chat models over the Messages API. Anthropic offers no
 * embeddings API, so every embedding model request fails with MODEL_CAPABILITY_MISSING.
 */
export function createAnthropicProvider(options: AnthropicProviderOptions): Provider {
  const connection = {
    baseUrl: options.baseUrl ?? 'https://api.anthropic.com',
    apiKey: options.apiKey,
    version: options.version ?? '2023-06-01',
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  const languageModels = new Map<string, LanguageModel>();
  const descriptors: ModelDescriptor[] = [];
  for (const settings of options.models ?? anthropicModels) {
    languageModels.set(settings.id, createAnthropicLanguageModel(settings, connection));
    descriptors.push(describe(settings));
  }

  return {
    name: providerName,
    simulated: false,
    listModels: () =>
      descriptors.map((descriptor) => ({ ...descriptor, capabilities: { ...descriptor.capabilities } })),
    languageModel(modelId) {
      const model = languageModels.get(modelId);
      if (model === undefined) throw errors.modelNotFound(`${providerName}/${modelId}`);
      return model;
    },
    embeddingModel(modelId) {
      if (languageModels.has(modelId)) {
        throw errors.modelCapabilityMissing(`${providerName}/${modelId}`, 'embeddings');
      }
      throw errors.modelNotFound(`${providerName}/${modelId}`);
    },
  };
}

function describe(settings: AnthropicModelSettings): ModelDescriptor {
  return {
    id: `${providerName}/${settings.id}`,
    provider: providerName,
    modelId: settings.id,
    kind: 'chat',
    contextWindow: settings.contextWindow,
    maxOutputTokens: settings.maxOutputTokens,
    simulated: false,
    capabilities: { streaming: true, ...settings.capabilities },
  };
}
