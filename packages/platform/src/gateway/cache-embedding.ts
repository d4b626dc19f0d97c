import type { EmbedText } from '../cache/index.ts';
import type { ModelCatalog } from '../routing/index.ts';

/**
 * How the semantic cache embeds a conversation: straight through the catalog's embedding model
 * (the simulated one offline), without routing or metering: it is the platform's own cost.
 */
export function embedWith(catalog: () => ModelCatalog): EmbedText {
  return async (text, { modelName, requestId, signal }) => {
    const model = catalog().resolve(modelName);
    const modelId = model.descriptor.modelId;
    const result = await model.provider
      .embeddingModel(modelId)
      .embed({ model: modelId, input: [text] }, { requestId, signal });
    const vector = result.embeddings[0];
    if (!vector) throw new Error(`the embedding model '${modelName}' returned no vector`);
    return vector;
  };
}
