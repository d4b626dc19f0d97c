import { providerErrors } from '../../errors/index.ts';
import type { CallCredentials } from '../../model/index.ts';
import type { UpstreamFetch } from '../http/index.ts';
import type { ErrorMapper } from './openai-compatible-error.ts';

/** The endpoints of the protocol, relative to a base URL or a deployment. */
export type OpenAICompatibleOperation = 'chat/completions' | 'embeddings' | 'responses';

/**
 * Where and how to reach one OpenAI-style service. The protocol is the same for every service;
 * the URL layout, the authentication header and a few error shapes are what differ (Azure puts
 * the deployment in the path and sends `api-key`).
 */
export interface OpenAICompatibleConnection {
  provider: string;
  baseUrl: string;
  /** Read at call time, never cached. */
  apiKey: () => string | undefined;
  /** When false, a call without a key goes out unauthenticated (local servers). */
  requiresApiKey: boolean;
  headers: Readonly<Record<string, string>>;
  fetch: UpstreamFetch | undefined;
  endpoint(baseUrl: string, operation: OpenAICompatibleOperation, modelId: string): string;
  /**
   * The service has OpenAI's own Responses endpoint (OpenAI, Azure OpenAI): Responses requests
   * are forwarded to it natively instead of becoming chat completions.
   */
  nativeResponses?: boolean;
  authenticationHeaders(apiKey: string): Record<string, string>;
  /** A header that carries our request id upstream, where the provider accepts one. */
  requestIdHeader?: string;
  mapError?: ErrorMapper;
  /** Names what a content filter caught, from a choice's provider-specific annotations. */
  describeContentFilter?: (annotations: unknown) => string | undefined;
}

/** Per-call options every upstream call takes (embedding calls carry credentials too). */
export interface UpstreamCallOptions {
  signal?: AbortSignal;
  requestId: string;
  credentials?: CallCredentials;
  traceHeaders?: Readonly<Record<string, string>>;
}

/** The URL and headers of one call: per-call credentials override the configured key and base URL. */
export function resolveUpstreamTarget(
  connection: OpenAICompatibleConnection,
  operation: OpenAICompatibleOperation,
  modelId: string,
  options: UpstreamCallOptions,
): { url: string; headers: Record<string, string> } {
  const apiKey = options.credentials?.apiKey ?? connection.apiKey();
  if ((apiKey === undefined || apiKey === '') && connection.requiresApiKey) {
    throw providerErrors.authenticationFailed(connection.provider, 'no API key is configured');
  }
  const baseUrl = options.credentials?.baseUrl ?? connection.baseUrl;
  return {
    url: connection.endpoint(baseUrl, operation, modelId),
    headers: {
      ...connection.headers,
      ...(apiKey ? connection.authenticationHeaders(apiKey) : {}),
      ...(connection.requestIdHeader ? { [connection.requestIdHeader]: options.requestId } : {}),
      ...options.traceHeaders,
    },
  };
}

/** Joins a base URL and a path without doubling or dropping the slash. */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
