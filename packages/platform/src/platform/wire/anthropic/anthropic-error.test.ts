import { describe, expect, it } from 'vitest';
import { errors, providerErrors } from '../../../errors/index.ts';
import { anthropicErrorType, toAnthropicErrorBody } from './anthropic-error.ts';

describe('anthropicErrorType', () => {
  it('follows the HTTP status as Anthropic does', () => {
    const types = [400, 401, 402, 403, 404, 409, 413, 415, 429, 500, 502, 503, 504, 529].map(
      anthropicErrorType,
    );
    expect(types).toEqual([
      'invalid_request_error',
      'authentication_error',
      'billing_error',
      'permission_error',
      'not_found_error',
      'invalid_request_error',
      'request_too_large',
      'invalid_request_error',
      'rate_limit_error',
      'api_error',
      'api_error',
      'overloaded_error',
      'timeout_error',
      'overloaded_error',
    ]);
  });
});

describe('toAnthropicErrorBody', () => {
  it('keeps the message that names the field, with our code, and the request id at top level', () => {
    expect(
      toAnthropicErrorBody(errors.invalidRequest('max_tokens', "Missing 'max_tokens'."), 'req_1'),
    ).toEqual({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: "Missing 'max_tokens'.",
        details: {
          error_code: 'INVALID_REQUEST',
          param: 'max_tokens',
          hint: "Fix the field 'max_tokens' and retry.",
        },
      },
      request_id: 'req_1',
    });
  });

  it('leaves out what it does not have', () => {
    const body = toAnthropicErrorBody(providerErrors.timeout('sim', 10));
    expect(body.request_id).toBeUndefined();
    expect(body.error.type).toBe('timeout_error');
    expect(body.error.details).not.toHaveProperty('param');
  });
});
