import { isPlatformError, providerErrors } from '../../errors/index.ts';
import type { CallOptions, ChatRequest, ChatStreamPart, LanguageModel } from '../../model/index.ts';
import {
  postUpstream,
  readServerSentEvents,
  type UpstreamFetch,
  type UpstreamResponse,
} from '../http/index.ts';
import { anthropicTokenCountSchema } from './anthropic-api.ts';
import { mapAnthropicErrorResponse, providerName } from './anthropic-error.ts';
import type { AnthropicModelSettings } from './anthropic-models.ts';
import { convertAnthropicStream } from './anthropic-stream.ts';
import { convertAnthropicResponse } from './convert-anthropic-response.ts';
import {
  type AnthropicRequestBody,
  anthropicCountTokensBody,
  anthropicHeaders,
  anthropicMessagesBody,
} from './native-anthropic-request.ts';

/** What every model of one provider shares: where to call and with which key and version. */
export interface AnthropicConnection {
  baseUrl: string;
  apiKey: () => string | undefined;
  version: string;
  fetch?: UpstreamFetch;
}

/** A Claude model over the Messages API. */
export function createAnthropicLanguageModel(
  model: AnthropicModelSettings,
  connection: AnthropicConnection,
): LanguageModel {
  async function call(
    request: ChatRequest,
    options: CallOptions,
    endpoint: { path: string; body: AnthropicRequestBody; stream: boolean },
  ): Promise<UpstreamResponse> {
    const { stream, body } = endpoint;
    // Why: per-call credentials are an organisation's own key; the configured key is read per call too.
    const apiKey = options.credentials?.apiKey ?? connection.apiKey();
    if (!apiKey) throw providerErrors.authenticationFailed(providerName, 'no API key is configured');
    const baseUrl = (options.credentials?.baseUrl ?? connection.baseUrl).replace(/\/+$/, '');
    // why: an organisation's own base URL goes through the transport that came with its credentials.
    const fetch = options.credentials?.baseUrl
      ? (options.credentials.fetch ?? connection.fetch)
      : connection.fetch;
    const response = await postUpstream({
      provider: providerName,
      url: `${baseUrl}${endpoint.path}`,
      headers: {
        'x-api-key': apiKey,
        ...anthropicHeaders(request, connection.version),
        ...(stream ? { accept: 'text/event-stream' } : {}),
        ...options.traceHeaders,
      },
      body,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(fetch ? { fetch } : {}),
    });
    if (!response.ok) throw await mapAnthropicErrorResponse(response, model.id);
    return response;
  }

  function messages(request: ChatRequest, options: CallOptions, stream: boolean) {
    const version = anthropicHeaders(request, connection.version)['anthropic-version'] ?? connection.version;
    const body = anthropicMessagesBody(request, { model, stream, version });
    return call(request, options, { path: '/v1/messages', body, stream });
  }

  return {
    provider: providerName,
    modelId: model.id,
    async generate(request, options) {
      const response = await messages(request, options, false);
      const body = await readBody(response, options.signal);
      return convertAnthropicResponse(body, model.id);
    },
    async *stream(request, options): AsyncGenerator<ChatStreamPart> {
      const response = await messages(request, options, true);
      if (!response.body) throw providerErrors.badResponse(providerName, 'the stream response has no body');
      try {
        yield* convertAnthropicStream(readServerSentEvents(response.body));
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        if (isPlatformError(error)) throw error;
        throw providerErrors.streamInterrupted(providerName, (error as Error).message);
      }
    },
    async countTokens(request, options) {
      const version =
        anthropicHeaders(request, connection.version)['anthropic-version'] ?? connection.version;
      const body = anthropicCountTokensBody(request, { model, version });
      const response = await call(request, options, {
        path: '/v1/messages/count_tokens',
        body,
        stream: false,
      });
      const parsed = anthropicTokenCountSchema.safeParse(await readBody(response, options.signal));
      if (!parsed.success)
        throw providerErrors.badResponse(providerName, 'the token count has no input_tokens');
      return parsed.data.input_tokens;
    },
  };
}

async function readBody(response: UpstreamResponse, signal: AbortSignal | undefined): Promise<unknown> {
  const text = await response.text().catch((error: unknown) => {
    if (signal?.aborted) throw signal.reason;
    throw providerErrors.unavailable(providerName, `the response broke off: ${(error as Error).message}`);
  });
  try {
    return JSON.parse(text);
  } catch {
    throw providerErrors.badResponse(providerName, `the response is not JSON: ${text.slice(0, 200)}`);
  }
}
