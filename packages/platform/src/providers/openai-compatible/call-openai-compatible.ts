import { providerErrors } from '../../errors/index.ts';
import { postUpstream, type UpstreamResponse } from '../http/index.ts';
import {
  type OpenAICompatibleConnection,
  type OpenAICompatibleOperation,
  resolveUpstreamTarget,
  type UpstreamCallOptions,
} from './openai-compatible-connection.ts';
import { mapOpenAICompatibleError, readUpstreamFailure } from './openai-compatible-error.ts';

/** POSTs a body to one operation; an HTTP error status is thrown as its mapped PlatformError. */
export async function callOpenAICompatible(
  connection: OpenAICompatibleConnection,
  operation: OpenAICompatibleOperation,
  modelId: string,
  body: unknown,
  options: UpstreamCallOptions,
): Promise<UpstreamResponse> {
  const { url, headers } = resolveUpstreamTarget(connection, operation, modelId, options);
  // why: an organisation's own base URL goes through the transport that came with its credentials.
  const fetch = options.credentials?.baseUrl
    ? (options.credentials.fetch ?? connection.fetch)
    : connection.fetch;
  const response = await postUpstream({
    provider: connection.provider,
    url,
    headers,
    body,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(fetch ? { fetch } : {}),
  });
  if (response.ok) return response;
  const failure = await readUpstreamFailure(response, { provider: connection.provider, model: modelId });
  throw mapOpenAICompatibleError(failure, connection.mapError);
}

/** Reads a 200 body as JSON; an abort rethrows its reason, a broken or non-JSON body is the provider's fault. */
export async function readJsonBody(
  response: UpstreamResponse,
  provider: string,
  signal?: AbortSignal,
): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw providerErrors.unavailable(provider, `the response broke off (${(error as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw providerErrors.badResponse(provider, `the body is not JSON: ${text.slice(0, 200)}`);
  }
}
