import { providerErrors } from '../../errors/index.ts';
import type { ChatStreamPart, LanguageModel } from '../../model/index.ts';
import { callOpenAICompatible, readJsonBody } from './call-openai-compatible.ts';
import {
  convertToOpenAICompatibleRequest,
  type RequestConventions,
} from './convert-to-openai-compatible-request.ts';
import type { OpenAICompatibleConnection } from './openai-compatible-connection.ts';
import { parseOpenAICompatibleResponse } from './parse-openai-compatible-response.ts';
import { readOpenAICompatibleStream } from './read-openai-compatible-stream.ts';

/** A chat model served over the Chat Completions protocol. */
export function createOpenAICompatibleLanguageModel(
  connection: OpenAICompatibleConnection,
  modelId: string,
  conventions: RequestConventions,
): LanguageModel {
  const { provider } = connection;
  return {
    provider,
    modelId,
    async generate(request, options) {
      const body = convertToOpenAICompatibleRequest({ ...request, model: modelId }, conventions, false);
      const response = await callOpenAICompatible(connection, 'chat/completions', modelId, body, options);
      const json = await readJsonBody(response, provider, options.signal);
      return parseOpenAICompatibleResponse(json, {
        provider,
        requestedModel: modelId,
        ...(connection.describeContentFilter
          ? { describeContentFilter: connection.describeContentFilter }
          : {}),
      });
    },
    async *stream(request, options): AsyncGenerator<ChatStreamPart> {
      const body = convertToOpenAICompatibleRequest({ ...request, model: modelId }, conventions, true);
      const response = await callOpenAICompatible(connection, 'chat/completions', modelId, body, options);
      if (response.body === null) throw providerErrors.badResponse(provider, 'the stream has no body');
      yield* readOpenAICompatibleStream(response.body, {
        provider,
        model: modelId,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(connection.mapError ? { mapError: connection.mapError } : {}),
      });
    },
  };
}
