import type { PlatformError } from '../../../errors/index.ts';

/** Anthropic's error `type` strings, which its SDKs and clients branch on. */
export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'timeout_error'
  | 'overloaded_error';

/** The body of an Anthropic error, as a response and as a stream's `error` event. */
export interface AnthropicErrorBody {
  type: 'error';
  error: {
    type: AnthropicErrorType;
    message: string;
    /** Our coded error; the Anthropic SDK exposes `error_code` as `errorCode`. */
    details: { error_code: string; param?: string; hint?: string };
  };
  request_id?: string;
}

/** Anthropic derives the error type from the HTTP status, so the status decides here too. */
export function anthropicErrorType(status: number): AnthropicErrorType {
  switch (status) {
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 503:
    case 529:
      return 'overloaded_error';
    case 504:
      return 'timeout_error';
  }
  return status >= 500 ? 'api_error' : 'invalid_request_error';
}

/** A PlatformError in Anthropic's shape; the message keeps naming the offending field. */
export function toAnthropicErrorBody(error: PlatformError, requestId?: string): AnthropicErrorBody {
  return {
    type: 'error',
    error: {
      type: anthropicErrorType(error.status),
      message: error.message,
      details: {
        error_code: error.code,
        ...(error.param ? { param: error.param } : {}),
        ...(error.hint ? { hint: error.hint } : {}),
      },
    },
    ...(requestId ? { request_id: requestId } : {}),
  };
}
