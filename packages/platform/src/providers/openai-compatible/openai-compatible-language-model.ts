import { providerErrors } from '../../errors/index.ts';
import type { ChatStreamPart, LanguageModel } from '../../model/index.ts';
import { buildOpenAIResponsesRequest } from './build-openai-responses-request.ts';
import { callOpenAICompatible, readJsonBody } from './call-openai-compatible.ts';
import {
  convertToOpenAICompatibleRequest,
  type RequestConventions,
} from './convert-to-openai-compatible-request.ts';
import type { OpenAICompatibleConnection } from './openai-compatible-connection.ts';
import { parseOpenAICompatibleResponse } from './parse-openai-compatible-response.ts';
import { parseOpenAIResponsesResult } from './parse-openai-responses-result.ts';
import { readOpenAICompatibleStream } from './read-openai-compatible-stream.ts';
import { readOpenAIResponsesStream } from './read-openai-responses-stream.ts';

/**
 * A chat model served over the Chat Completions protocol — or, for a Responses API request to a
 * service that has OpenAI's own Responses endpoint, over that endpoint natively.
 */
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
      const native = connection.nativeResponses ? request.passthrough?.openaiResponses : undefined;
      if (native) {
        const body = buildOpenAIResponsesRequest(
          { ...request, model: modelId },
          conventions,
          provider,
          false,
        );
        const response = await callOpenAICompatible(connection, 'responses', modelId, body, options);
        return parseOpenAIResponsesResult(
          await readJsonBody(response, provider, options.signal),
          provider,
          modelId,
        );
      }
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
      const native = connection.nativeResponses ? request.passthrough?.openaiResponses : undefined;
      const operation = native ? 'responses' : 'chat/completions';
      const body = native
        ? buildOpenAIResponsesRequest({ ...request, model: modelId }, conventions, provider, true)
        : convertToOpenAICompatibleRequest({ ...request, model: modelId }, conventions, true);
      const response = await callOpenAICompatible(connection, operation, modelId, body, options);
      if (response.body === null) throw providerErrors.badResponse(provider, 'the stream has no body');
      const context = {
        provider,
        model: modelId,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(connection.mapError ? { mapError: connection.mapError } : {}),
      };
      yield* native
        ? readOpenAIResponsesStream(response.body, context)
        : readOpenAICompatibleStream(response.body, context);
    },
  };
}
