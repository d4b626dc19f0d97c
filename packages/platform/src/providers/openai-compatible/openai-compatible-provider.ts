import type { Provider } from '../../model/index.ts';
import type { UpstreamFetch } from '../http/index.ts';
import { buildOpenAICompatibleProvider } from './build-openai-compatible-provider.ts';
import type { MaxTokensField } from './convert-to-openai-compatible-request.ts';
import { joinUrl } from './openai-compatible-connection.ts';
import type { OpenAICompatibleModelSettings } from './openai-compatible-model-settings.ts';

/** Everything an OpenAI-compatible provider is configured with. */
export interface OpenAICompatibleProviderOptions {
  /** The provider name: the text before the first '/' of its public model ids. */
  name: string;
  /** e.g. https://api.openai.com/v1; chat goes to `{baseUrl}/chat/completions`. */
  baseUrl: string;
  /** Read at call time; per-call credentials override it. */
  apiKey: () => string | undefined;
  models: OpenAICompatibleModelSettings[];
  headers?: Record<string, string>;
  fetch?: UpstreamFetch;
  simulated?: false;
  /** `max_tokens` (default; what most compatible servers know) or `max_completion_tokens` (OpenAI). */
  maxTokensField?: MaxTokensField;
  /** Send `stream_options.include_usage` (default true); turn off for servers that reject it. */
  includeStreamUsage?: boolean;
  /** When false, calls without a key go out unauthenticated (default true). */
  requiresApiKey?: boolean;
  /** A header that carries our request id upstream. */
  requestIdHeader?: string;
  /** The service has OpenAI's Responses endpoint at `{baseUrl}/responses` (default false). */
  nativeResponses?: boolean;
}

/**
 * A provider for any service that speaks the OpenAI Chat Completions and Embeddings protocol,
 * authenticated with `Authorization: Bearer <key>`.
 */
export function createOpenAICompatibleProvider(options: OpenAICompatibleProviderOptions): Provider {
  return buildOpenAICompatibleProvider(
    {
      provider: options.name,
      baseUrl: options.baseUrl,
      apiKey: options.apiKey,
      requiresApiKey: options.requiresApiKey ?? true,
      headers: options.headers ?? {},
      fetch: options.fetch,
      endpoint: (baseUrl, operation) => joinUrl(baseUrl, operation),
      authenticationHeaders: (apiKey) => ({ authorization: `Bearer ${apiKey}` }),
      ...(options.requestIdHeader ? { requestIdHeader: options.requestIdHeader } : {}),
      ...(options.nativeResponses ? { nativeResponses: true } : {}),
    },
    options.models,
    {
      maxTokensField: options.maxTokensField ?? 'max_tokens',
      includeStreamUsage: options.includeStreamUsage ?? true,
    },
  );
}
