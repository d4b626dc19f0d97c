import { describe, expect, it } from 'vitest';
import { mapAnthropicErrorResponse } from './anthropic-error.ts';

function errorResponse(status: number, type: string, message: string, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_1' }), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

const map = (response: Response) => mapAnthropicErrorResponse(response, 'claude-test');

describe('mapAnthropicErrorResponse', () => {
  it('maps each documented error type, keeping Anthropic’s message and request id', async () => {
    const cases: Array<[Response, Record<string, unknown>]> = [
      [
        errorResponse(400, 'invalid_request_error', 'max_tokens: Field required'),
        { code: 'PROVIDER_INVALID_REQUEST', status: 400, category: 'user' },
      ],
      [
        errorResponse(401, 'authentication_error', 'invalid x-api-key'),
        { code: 'PROVIDER_AUTHENTICATION_FAILED', retryable: false },
      ],
      [
        errorResponse(403, 'permission_error', 'no access to model'),
        { code: 'PROVIDER_AUTHENTICATION_FAILED', retryable: false },
      ],
      [
        errorResponse(404, 'not_found_error', 'model: claude-x'),
        { code: 'PROVIDER_MODEL_NOT_FOUND', retryable: false },
      ],
      [
        errorResponse(413, 'request_too_large', 'Request exceeds the maximum size'),
        { code: 'PROVIDER_INVALID_REQUEST', status: 400 },
      ],
      [
        errorResponse(429, 'rate_limit_error', 'slow down', { 'retry-after': '7' }),
        { code: 'PROVIDER_RATE_LIMITED', retryable: true, retryAfterMs: 7000 },
      ],
      [
        errorResponse(500, 'api_error', 'Internal server error'),
        { code: 'PROVIDER_UNAVAILABLE', retryable: true },
      ],
      [
        errorResponse(529, 'overloaded_error', 'Overloaded'),
        { code: 'PROVIDER_UNAVAILABLE', retryable: true },
      ],
      [
        errorResponse(402, 'billing_error', 'credit balance too low'),
        { code: 'PROVIDER_UNAVAILABLE', retryable: true },
      ],
    ];
    for (const [response, expected] of cases) {
      const error = await map(response);
      expect(error, `${response.status}`).toMatchObject(expected);
      expect(error.message).toContain('req_1');
    }
  });

  it('recognises a prompt over the context window', async () => {
    const error = await map(
      errorResponse(400, 'invalid_request_error', 'prompt is too long: 208656 tokens > 200000 maximum'),
    );
    expect(error).toMatchObject({ code: 'CONTEXT_LENGTH_EXCEEDED', status: 400, param: 'messages' });
    expect(error.message).toContain('208656 tokens > 200000 maximum');
  });

  it('keeps a body that is not Anthropic’s JSON as the message', async () => {
    const error = await map(new Response('<html>Bad gateway</html>', { status: 502 }));
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect(error.message).toContain('Bad gateway');
  });
});
