import { describe, expect, it } from 'vitest';
import { runProviderContract } from '../contract/provider.contract.ts';
import { anthropicModels, anthropicPrices } from './anthropic-models.ts';
import { createAnthropicProvider } from './anthropic-provider.ts';

runProviderContract({
  name: 'anthropic',
  fixtures: new URL('./__fixtures__/', import.meta.url),
  createProvider: (baseUrl) => createAnthropicProvider({ baseUrl, apiKey: () => 'sk-ant-configured' }),
  configuredApiKey: 'sk-ant-configured',
  chatModel: 'claude-sonnet-5-5',
  expectApiKey(request, apiKey) {
    expect(request.headers['x-api-key']).toBe(apiKey);
    expect(request.headers['anthropic-version']).toBe('2023-06-01');
    expect(request.headers.authorization).toBeUndefined();
  },
  chatPath: /^\/v1\/messages$/,
});

describe('createAnthropicProvider', () => {
  it('lists the catalog as chat models with vision and tools', () => {
    const provider = createAnthropicProvider({ apiKey: () => undefined });
    expect(provider).toMatchObject({ name: 'anthropic', simulated: false });
    const models = provider.listModels();
    expect(models.map((model) => model.modelId)).toEqual(anthropicModels.map((model) => model.id));
    for (const model of models) {
      expect(model).toMatchObject({ kind: 'chat', provider: 'anthropic', id: `anthropic/${model.modelId}` });
      expect(model.capabilities).toMatchObject({ streaming: true, tools: true, vision: true });
      expect(model.maxOutputTokens).toBeGreaterThan(0);
    }
  });

  it('offers configured models instead of the catalog', () => {
    const provider = createAnthropicProvider({
      apiKey: () => 'key',
      models: [
        {
          id: 'claude-custom',
          contextWindow: 1000,
          maxOutputTokens: 100,
          capabilities: { vision: false, tools: true, jsonMode: false, reasoning: true },
          prices: {
            input_per_million: '1',
            output_per_million: '2',
            cached_input_per_million: '0.1',
            cache_write_input_per_million: '1.25',
          },
        },
      ],
    });
    expect(provider.listModels()).toEqual([
      {
        id: 'anthropic/claude-custom',
        provider: 'anthropic',
        modelId: 'claude-custom',
        kind: 'chat',
        contextWindow: 1000,
        maxOutputTokens: 100,
        simulated: false,
        capabilities: { streaming: true, vision: false, tools: true, jsonMode: false, reasoning: true },
      },
    ]);
  });

  it('has no embedding models and rejects unknown ids', () => {
    const provider = createAnthropicProvider({ apiKey: () => 'key' });
    expect(() => provider.embeddingModel('claude-sonnet-5-5')).toThrow(
      expect.objectContaining({ code: 'MODEL_CAPABILITY_MISSING' }),
    );
    expect(() => provider.embeddingModel('nope')).toThrow(
      expect.objectContaining({ code: 'MODEL_NOT_FOUND' }),
    );
    expect(() => provider.languageModel('claude-2')).toThrow(
      expect.objectContaining({ code: 'MODEL_NOT_FOUND', status: 404 }),
    );
  });

  it('fails clearly when no key is configured, before calling upstream', async () => {
    let called = false;
    const provider = createAnthropicProvider({
      apiKey: () => undefined,
      fetch: async () => {
        called = true;
        return new Response('{}');
      },
    });
    const model = provider.languageModel('claude-sonnet-5-5');
    await expect(
      model.generate(
        { model: 'claude-sonnet-5-5', messages: [{ role: 'user', content: 'Hi' }] },
        { requestId: 'r' },
      ),
    ).rejects.toMatchObject({ code: 'PROVIDER_AUTHENTICATION_FAILED' });
    expect(called).toBe(false);
  });

  it('sends the configured version header and reads the key on every call', async () => {
    const seen: Array<{ url: string; headers: Record<string, string> }> = [];
    let key = 'first-key';
    const provider = createAnthropicProvider({
      baseUrl: 'https://anthropic.example/',
      apiKey: () => key,
      version: '2026-10-21',
      fetch: async (url, init) => {
        seen.push({ url: String(url), headers: init?.headers as Record<string, string> });
        return Response.json({ id: 'msg_1', model: 'claude-opus-5-5', content: [], stop_reason: 'end_turn' });
      },
    });
    const model = provider.languageModel('claude-opus-5-5');
    const request = { model: 'claude-opus-5-5', messages: [{ role: 'user' as const, content: 'Hi' }] };
    await model.generate(request, { requestId: 'r' });
    key = 'rotated-key';
    const result = await model.generate(request, { requestId: 'r' });
    expect(seen.map((call) => call.url)).toEqual([
      'https://anthropic.example/v1/messages',
      'https://anthropic.example/v1/messages',
    ]);
    expect(seen.map((call) => call.headers['x-api-key'])).toEqual(['first-key', 'rotated-key']);
    expect(seen[0]?.headers['anthropic-version']).toBe('2026-10-21');
    expect(result).toMatchObject({
      choices: [{ content: null, toolCalls: [], finishReason: 'stop' }],
      usage: null,
    });
  });

  it('stops a stream mid-body with the abort reason', async () => {
    const encoder = new TextEncoder();
    const provider = createAnthropicProvider({
      apiKey: () => 'key',
      // Why: like undici, the body errors when the request's signal aborts.
      fetch: async (_url, init) =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(
                encoder.encode(
                  'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n' +
                    'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}\n\n',
                ),
              );
              init?.signal?.addEventListener('abort', () => controller.error(new Error('body aborted')));
            },
          }),
          { headers: { 'content-type': 'text/event-stream' } },
        ),
    });
    const controller = new AbortController();
    const reason = new Error('client went away');
    const parts: string[] = [];
    const stream = provider
      .languageModel('claude-sonnet-5-5')
      .stream(
        { model: 'claude-sonnet-5-5', messages: [{ role: 'user', content: 'Hi' }] },
        { requestId: 'r', signal: controller.signal },
      );
    const error = await (async () => {
      for await (const part of stream) {
        parts.push(part.type);
        controller.abort(reason);
      }
    })().catch((caught: unknown) => caught);
    expect(parts).toEqual(['text-delta']);
    expect(error).toBe(reason);
  });

  it('keys catalog prices by public model id', () => {
    expect(anthropicPrices()['anthropic/claude-sonnet-5-5']).toEqual({
      input_per_million: '2',
      output_per_million: '10',
      cached_input_per_million: '0.20',
      cache_write_input_per_million: '2.5',
      cache_write_1h_input_per_million: '4',
    });
  });
});
