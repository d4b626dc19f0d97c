import { type PlatformError, providerErrors } from '../../errors/index.ts';
import { readRetryAfterMs } from './retry-after.ts';
import type { HeaderReader } from './upstream-fetch.ts';

/**
 * The error for an upstream HTTP failure when nothing provider-specific applies. Retryable:
 * 408, 409, 429 and 5xx (incl. Anthropic's 529); never a 4xx that would fail again.
 */
export function mapStatusError(input: {
  provider: string;
  model: string;
  status: number;
  message: string;
  headers: HeaderReader;
}): PlatformError {
  const { provider, model, status, message, headers } = input;
  if (status === 429) return providerErrors.rateLimited(provider, message, readRetryAfterMs(headers));
  if (status === 401 || status === 403) return providerErrors.authenticationFailed(provider, message);
  if (status === 404) return providerErrors.modelNotFound(provider, model, message);
  if (status === 408) return providerErrors.timeout(provider, 0);
  if (status === 409 || status >= 500) return providerErrors.unavailable(provider, `${status}: ${message}`);
  return providerErrors.invalidRequest(provider, message);
}
