import { type PlatformError, providerErrors } from '../../errors/index.ts';
import { mapStatusError, readErrorBody, type UpstreamResponse } from '../http/index.ts';
import { anthropicErrorSchema } from './anthropic-api.ts';

export const providerName = 'anthropic';

/** Anthropic's words for a prompt over the context window ("prompt is too long: 208656 tokens > 200000 maximum"). */
const promptTooLong = /prompt is too long/i;

/**
 * The error for a failed Messages API call, from Anthropic's body `{ type: 'error', error: { type,
 * message }, request_id }` (https://platform.claude.com/docs/en/api/errors), keeping its message.
 */
export async function mapAnthropicErrorResponse(
  response: UpstreamResponse,
  model: string,
): Promise<PlatformError> {
  const body = await readErrorBody(response);
  const parsed = anthropicErrorSchema.safeParse(body.json);
  const error = parsed.success ? parsed.data : undefined;
  const type = error?.error?.type ?? undefined;
  const detail = error?.error?.message ?? (body.text.trim() || `HTTP ${response.status}`);
  const message = error?.request_id ? `${detail} (request_id ${error.request_id})` : detail;
  const status = response.status;

  if ((status === 400 || type === 'invalid_request_error') && promptTooLong.test(detail)) {
    return providerErrors.contextLengthExceededUpstream(providerName, message);
  }
  if (status === 413 || type === 'request_too_large')
    return providerErrors.invalidRequest(providerName, message);
  // Why: an exhausted balance is the operator's problem and another deployment may still serve the call.
  if (status === 402 || type === 'billing_error') {
    return providerErrors.unavailable(providerName, `402 billing_error: ${message}`);
  }
  return mapStatusError({ provider: providerName, model, status, message, headers: response.headers });
}

/**
 * The error for an `error` event after the stream began: an overload is a retryable outage, any
 * other error an interrupted stream (also retryable, so routing may try again elsewhere).
 */
export function mapAnthropicStreamError(error: {
  type?: string | null;
  message?: string | null;
}): PlatformError {
  const type = error.type ?? 'error';
  const message = error.message ?? 'no error message';
  if (type === 'overloaded_error') return providerErrors.unavailable(providerName, `${type}: ${message}`);
  return providerErrors.streamInterrupted(providerName, `${type}: ${message}`);
}
