import { providerErrors } from '../../errors/index.ts';
import type { EmbeddingModel } from '../../model/index.ts';
import { callOpenAICompatible, readJsonBody } from './call-openai-compatible.ts';
import { type OpenAIEmbeddingRequest, openAIEmbeddingResponseSchema } from './openai-compatible-api.ts';
import type { OpenAICompatibleConnection, UpstreamCallOptions } from './openai-compatible-connection.ts';

/** An embedding model served over the Embeddings protocol; vectors come back in input order. */
export function createOpenAICompatibleEmbeddingModel(
  connection: OpenAICompatibleConnection,
  modelId: string,
): EmbeddingModel {
  const { provider } = connection;
  return {
    provider,
    modelId,
    // Why: the gateway passes the organisation's credentials here as it does for chat calls.
    async embed(request, options: UpstreamCallOptions) {
      const body: OpenAIEmbeddingRequest = {
        model: modelId,
        input: request.input,
        encoding_format: 'float',
        ...(request.dimensions === undefined ? {} : { dimensions: request.dimensions }),
        ...(request.user === undefined ? {} : { user: request.user }),
      };
      const response = await callOpenAICompatible(connection, 'embeddings', modelId, body, options);
      const parsed = openAIEmbeddingResponseSchema.safeParse(
        await readJsonBody(response, provider, options.signal),
      );
      if (!parsed.success) throw providerErrors.badResponse(provider, 'the body is not an embeddings list');
      const data = parsed.data.data
        .map((entry, position) => ({ index: entry.index ?? position, embedding: entry.embedding }))
        .sort((left, right) => left.index - right.index);
      if (data.length !== request.input.length) {
        throw providerErrors.badResponse(
          provider,
          `${data.length} embeddings came back for ${request.input.length} inputs`,
        );
      }
      const promptTokens = parsed.data.usage?.prompt_tokens;
      return {
        model: parsed.data.model || modelId,
        embeddings: data.map((entry) => entry.embedding),
        usage: promptTokens == null ? null : { promptTokens },
      };
    },
  };
}
