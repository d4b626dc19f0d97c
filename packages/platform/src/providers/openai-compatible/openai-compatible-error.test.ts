import { describe, expect, it } from 'vitest';
import { providerErrors } from '../../errors/index.ts';
import {
  mapOpenAICompatibleError,
  readUpstreamFailure,
  type UpstreamFailure,
} from './openai-compatible-error.ts';

const context = { provider: 'test', model: 'model-1' };

function respond(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers });
}

async function mapped(status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return mapOpenAICompatibleError(await readUpstreamFailure(respond(status, text, headers), context));
}

describe('readUpstreamFailure', () => {
  it("reads OpenAI's nested error, Ollama's string error, vLLM's flat object and plain text", async () => {
    const nested = await readUpstreamFailure(
      respond(
        400,
        JSON.stringify({ error: { message: 'bad', type: 'invalid_request_error', code: 'x', param: 'p' } }),
      ),
      context,
    );
    expect(nested).toMatchObject({
      status: 400,
      message: 'bad',
      error: { type: 'invalid_request_error', code: 'x' },
    });
    const ollama = await readUpstreamFailure(
      respond(404, JSON.stringify({ error: "model 'x' not found" })),
      context,
    );
    expect(ollama.message).toBe("model 'x' not found");
    const vllm = await readUpstreamFailure(
      respond(400, JSON.stringify({ object: 'error', message: 'flat', type: 'BadRequestError', code: 400 })),
      context,
    );
    expect(vllm).toMatchObject({ message: 'flat', error: { code: 400 } });
    const html = await readUpstreamFailure(respond(502, '<html>Bad Gateway</html>'), context);
    expect(html.message).toBe('<html>Bad Gateway</html>');
    expect((await readUpstreamFailure(respond(503, ''), context)).message).toBe('HTTP 503');
  });
});

describe('mapOpenAICompatibleError', () => {
  it('recognises a prompt that is too long by code or by the message each server uses', async () => {
    const messages = [
      "This model's maximum context length is 8192 tokens. However, you requested 9000 tokens.",
      "Input validation error: input (140000 tokens) is longer than the model's context length (131072 tokens).",
      'Input token count + max_tokens parameter must be less than the context length of the model being queried.',
      'Invalid request: Your request exceeded model token limit: 262144 (requested: 291351)',
      'Trying to keep the first 9000 tokens when context the overflows. However, the model is loaded with context length of only 4096 tokens, which is not enough. The requested number of tokens is greater than the context length.',
      'the request exceeds the available context size, try increasing it',
      'prompt too long; exceeded max context length by 120 tokens',
    ];
    for (const message of messages) {
      const error = await mapped(400, { error: { message } });
      expect(error, message).toMatchObject({
        code: 'CONTEXT_LENGTH_EXCEEDED',
        status: 400,
        retryable: false,
      });
    }
    expect((await mapped(403, { error: { message: messages[2] } })).code).toBe('CONTEXT_LENGTH_EXCEEDED');
    expect(
      (await mapped(400, { error: { message: 'too long', code: 'context_length_exceeded' } })).code,
    ).toBe('CONTEXT_LENGTH_EXCEEDED');
  });

  it('maps a content_filter code to CONTENT_FILTERED and falls back to the HTTP status', async () => {
    expect((await mapped(400, { error: { message: 'no', code: 'content_filter' } })).code).toBe(
      'CONTENT_FILTERED',
    );
    expect(
      await mapped(404, { error: { message: 'The model `x` does not exist', code: 'model_not_found' } }),
    ).toMatchObject({ code: 'PROVIDER_MODEL_NOT_FOUND', retryable: false });
    expect(await mapped(429, 'slow down', { 'retry-after-ms': '1500' })).toMatchObject({
      code: 'PROVIDER_RATE_LIMITED',
      retryAfterMs: 1500,
    });
    expect(await mapped(502, 'bad gateway')).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
  });

  it("asks the provider's own mapper first", async () => {
    const failure: UpstreamFailure = await readUpstreamFailure(
      respond(400, JSON.stringify({ error: { message: 'special', code: 'context_length_exceeded' } })),
      context,
    );
    const error = mapOpenAICompatibleError(failure, (seen) =>
      providerErrors.unavailable(seen.provider, 'mine'),
    );
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', message: 'test: mine' });
    expect(mapOpenAICompatibleError(failure, () => undefined).code).toBe('CONTEXT_LENGTH_EXCEEDED');
  });
});
