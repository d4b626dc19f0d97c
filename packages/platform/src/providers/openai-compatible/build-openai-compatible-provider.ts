import { errors } from '../../errors/index.ts';
import type { EmbeddingModel, LanguageModel, ModelDescriptor, Provider } from '../../model/index.ts';
import type { MaxTokensField } from './convert-to-openai-compatible-request.ts';
import type { OpenAICompatibleConnection } from './openai-compatible-connection.ts';
import { createOpenAICompatibleEmbeddingModel } from './openai-compatible-embedding-model.ts';
import { createOpenAICompatibleLanguageModel } from './openai-compatible-language-model.ts';
import type { OpenAICompatibleModelSettings } from './openai-compatible-model-settings.ts';

/** Request conventions that hold for every model of a provider unless a model overrides them. */
export interface ProviderConventions {
  maxTokensField: MaxTokensField;
  includeStreamUsage: boolean;
}

/** A Provider over one connection: its models, their descriptors, and the lookups by id. */
export function buildOpenAICompatibleProvider(
  connection: OpenAICompatibleConnection,
  models: readonly OpenAICompatibleModelSettings[],
  conventions: ProviderConventions,
): Provider {
  const { provider: name } = connection;
  const languageModels = new Map<string, LanguageModel>();
  const embeddingModels = new Map<string, EmbeddingModel>();
  const descriptors: ModelDescriptor[] = [];
  for (const model of models) {
    descriptors.push(describe(name, model));
    if (model.kind === 'chat') {
      languageModels.set(
        model.id,
        createOpenAICompatibleLanguageModel(connection, model.id, {
          maxTokensField: model.maxTokensField ?? conventions.maxTokensField,
          omittedParameters: model.omittedParameters ?? [],
          includeStreamUsage: conventions.includeStreamUsage,
          reasoningEffort: model.capabilities?.reasoning ?? false,
        }),
      );
    } else {
      embeddingModels.set(model.id, createOpenAICompatibleEmbeddingModel(connection, model.id));
    }
  }
  return {
    name,
    simulated: false,
    listModels: () =>
      descriptors.map((descriptor) => ({ ...descriptor, capabilities: { ...descriptor.capabilities } })),
    languageModel(modelId) {
      const model = languageModels.get(modelId);
      if (model !== undefined) return model;
      if (embeddingModels.has(modelId)) throw errors.modelCapabilityMissing(`${name}/${modelId}`, 'chat');
      throw errors.modelNotFound(`${name}/${modelId}`);
    },
    embeddingModel(modelId) {
      const model = embeddingModels.get(modelId);
      if (model !== undefined) return model;
      if (languageModels.has(modelId))
        throw errors.modelCapabilityMissing(`${name}/${modelId}`, 'embeddings');
      throw errors.modelNotFound(`${name}/${modelId}`);
    },
  };
}

function describe(provider: string, model: OpenAICompatibleModelSettings): ModelDescriptor {
  const chat = model.kind === 'chat';
  return {
    id: `${provider}/${model.id}`,
    provider,
    modelId: model.id,
    kind: model.kind,
    contextWindow: model.contextWindow,
    maxOutputTokens: chat ? model.maxOutputTokens : 0,
    simulated: false,
    capabilities: { streaming: chat, tools: chat, jsonMode: chat, vision: false, ...model.capabilities },
    ...(model.dimensions === undefined ? {} : { dimensions: model.dimensions }),
  };
}
