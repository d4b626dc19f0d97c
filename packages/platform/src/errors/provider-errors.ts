import { PlatformError } from './platform-error.ts';

/** Errors that an upstream provider caused. `retryable` is what routing reads. */
export const providerErrors = {
  rateLimited(provider: string, message: string, retryAfterMs?: number): PlatformError {
    return new PlatformError({
      code: 'PROVIDER_RATE_LIMITED',
      message: `${provider}: ${message}`,
      hint: 'Retry after the Retry-After interval, or configure a fallback deployment.',
      status: 429,
      category: 'provider',
      type: 'rate_limit_error',
      retryable: true,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  },
  unavailable(provider: string, message: string): PlatformError {
    return new PlatformError({
      code: 'PROVIDER_UNAVAILABLE',
      message: `${provider}: ${message}`,
      hint: 'The provider failed; retry, or configure a fallback chain.',
      status: 502,
      category: 'provider',
      type: 'api_error',
      retryable: true,
    });
  },
  /** The organisation's own base URL for a provider leads to a non-public address: its mistake, not the provider's. */
  destinationBlocked(provider: string, detail: string): PlatformError {
    return new PlatformError({
      code: 'PROVIDER_DESTINATION_BLOCKED',
      message: `${provider}: the base URL of this organization's provider key was refused: ${detail}`,
      hint: `Set a base_url on the public internet with PUT /v1/admin/organizations/{id}/provider-keys/${provider}, or delete that key to use the platform's.`,
      status: 400,
      category: 'user',
      type: 'invalid_request_error',
      param: 'base_url',
    });
  },
  timeout(provider: string, afterMs: number): PlatformError {
    return new PlatformError({
      code: 'PROVIDER_TIMEOUT',
      message: `${provider}: no response within ${afterMs} ms.`,
      hint: 'Retry, raise the timeout with x-kimi-timeout-ms, or choose a faster model.',
      status: 504,
      category: 'provider',
      type: 'timeout_error',
      retryable: true,
    });
  },
  streamInterrupted(provider: string, message: string): PlatformError {
    return new PlatformError({
      code: 'PROVIDER_STREAM_INTERRUPTED',
      message: `${provider}: the stream ended early: ${message}`,
      hint: 'Retry the request; partial output was not billed beyond what was received.',
      status: 502,
      category: 'provider',
      type: 'api_error',
      retryable: true,
    });
  },
  contextLengthExceeded(model: string, promptTokens: number, contextWindow: number): PlatformError {
    return new PlatformError({
      code: 'CONTEXT_LENGTH_EXCEEDED',
      message: `The request has ${promptTokens} prompt tokens but '${model}' accepts at most ${contextWindow}.`,
      param: 'messages',
      hint: 'Shorten the conversation or choose a model with a larger context window.',
      status: 400,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
  badResponse(provider: string, message: string): PlatformError {
    return new PlatformError({
      code: 'PROVIDER_BAD_RESPONSE',
      message: `${provider}: unexpected response: ${message}`,
      hint: 'Retry, or report this to the operator with the request id.',
      status: 502,
      category: 'provider',
      type: 'api_error',
      retryable: true,
    });
  },
  invalidRequest(provider: string, message: string, param: string | null = null): PlatformError {
    return new PlatformError({
      code: 'PROVIDER_INVALID_REQUEST',
      message: `${provider} rejected the request: ${message}`,
      param,
      hint: 'Fix the request as the provider message says; it will fail the same way if retried.',
      status: 400,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
  authenticationFailed(provider: string, message: string): PlatformError {
    return new PlatformError({
      code: 'PROVIDER_AUTHENTICATION_FAILED',
      message: `${provider} refused the platform's credentials: ${message}`,
      hint: "The operator must fix this provider's API key (env, kimi.config.yaml, or the organization's provider key).",
      status: 502,
      category: 'provider',
      type: 'api_error',
    });
  },
  modelNotFound(provider: string, model: string, message: string): PlatformError {
    return new PlatformError({
      code: 'PROVIDER_MODEL_NOT_FOUND',
      message: `${provider} does not serve '${model}': ${message}`,
      param: 'model',
      hint: 'The configured model or deployment name is wrong at the provider; fix kimi.config.yaml.',
      status: 502,
      category: 'provider',
      type: 'api_error',
    });
  },
  contentFiltered(provider: string, message: string): PlatformError {
    return new PlatformError({
      code: 'CONTENT_FILTERED',
      message: `${provider} refused the content: ${message}`,
      param: 'messages',
      hint: "Rephrase the request; it was blocked by the provider's content policy.",
      status: 400,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
  /** The provider said the prompt is too long (its own count, which we cannot restate exactly). */
  contextLengthExceededUpstream(provider: string, message: string): PlatformError {
    return new PlatformError({
      code: 'CONTEXT_LENGTH_EXCEEDED',
      message: `${provider}: ${message}`,
      param: 'messages',
      hint: 'Shorten the conversation or choose a model with a larger context window.',
      status: 400,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
  connectTimeout(provider: string, host: string): PlatformError {
    return new PlatformError({
      code: 'PROVIDER_TIMEOUT',
      message: `${provider}: could not connect to ${host} in time.`,
      hint: 'The provider is unreachable; retry, or configure a fallback chain.',
      status: 504,
      category: 'provider',
      type: 'timeout_error',
      retryable: true,
    });
  },
};
