import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../contract/fixture-server.ts';
import { createCustomOpenAICompatibleProvider } from '../custom/custom-openai-compatible-provider.ts';
import { createMoonshotProvider } from '../moonshot/moonshot-provider.ts';
import { createOpenAIProvider } from '../openai/openai-provider.ts';
import { createTogetherProvider } from '../together/together-provider.ts';
import { createOpenAICompatibleProvider } from './openai-compatible-provider.ts';

const answer = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  model: 'served-model',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hi.' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
};
const context = { requestId: 'req_1' };
const hello = { messages: [{ role: 'user' as const, content: 'Hello' }] };

let server: FixtureServer;

beforeAll(async () => {
  server = await startFixtureServer();
});

afterAll(async () => {
  await server.close();
});

function lastRequest() {
  return server.requests[server.requests.length - 1]!;
}

describe('createOpenAICompatibleProvider', () => {
  const provider = createOpenAICompatibleProvider({
    name: 'acme',
    baseUrl: 'http://127.0.0.1:1/v1',
    apiKey: () => 'key',
    models: [
      { id: 'org/chat-large', kind: 'chat', contextWindow: 32_000, maxOutputTokens: 4000 },
      {
        id: 'vision-1',
        kind: 'chat',
        contextWindow: 8000,
        maxOutputTokens: 1000,
        capabilities: { vision: true },
      },
      { id: 'embed-1', kind: 'embedding', contextWindow: 512, maxOutputTokens: 0, dimensions: 768 },
    ],
  });

  it('describes its models with public ids and default capabilities', () => {
    expect(provider).toMatchObject({ name: 'acme', simulated: false });
    expect(provider.listModels()).toEqual([
      {
        id: 'acme/org/chat-large',
        provider: 'acme',
        modelId: 'org/chat-large',
        kind: 'chat',
        contextWindow: 32_000,
        maxOutputTokens: 4000,
        simulated: false,
        capabilities: { streaming: true, tools: true, jsonMode: true, vision: false },
      },
      expect.objectContaining({
        id: 'acme/vision-1',
        capabilities: expect.objectContaining({ vision: true }),
      }),
      {
        id: 'acme/embed-1',
        provider: 'acme',
        modelId: 'embed-1',
        kind: 'embedding',
        contextWindow: 512,
        maxOutputTokens: 0,
        simulated: false,
        capabilities: { streaming: false, tools: false, jsonMode: false, vision: false },
        dimensions: 768,
      },
    ]);
  });

  it('throws MODEL_NOT_FOUND for unknown ids and MODEL_CAPABILITY_MISSING for the wrong kind', () => {
    expect(() => provider.languageModel('nope')).toThrow(
      expect.objectContaining({ code: 'MODEL_NOT_FOUND' }),
    );
    expect(() => provider.embeddingModel('nope')).toThrow(
      expect.objectContaining({ code: 'MODEL_NOT_FOUND' }),
    );
    expect(() => provider.languageModel('embed-1')).toThrow(
      expect.objectContaining({
        code: 'MODEL_CAPABILITY_MISSING',
        message: expect.stringContaining('acme/embed-1'),
      }),
    );
    expect(() => provider.embeddingModel('vision-1')).toThrow(
      expect.objectContaining({ code: 'MODEL_CAPABILITY_MISSING' }),
    );
  });

  it('reads the key at every call and refuses to call without one', async () => {
    let key: string | undefined;
    const keyed = createOpenAICompatibleProvider({
      name: 'acme',
      baseUrl: `${server.baseUrl}/v1/`,
      apiKey: () => key,
      models: [{ id: 'm', kind: 'chat', contextWindow: 1000, maxOutputTokens: 100 }],
    });
    const before = server.requests.length;
    await expect(keyed.languageModel('m').generate({ model: 'm', ...hello }, context)).rejects.toMatchObject({
      code: 'PROVIDER_AUTHENTICATION_FAILED',
    });
    expect(server.requests).toHaveLength(before);
    key = 'rotated-key';
    server.enqueue({ kind: 'json', status: 200, body: answer });
    const result = await keyed.languageModel('m').generate({ model: 'm', ...hello }, context);
    expect(result.choices[0]?.content).toBe('Hi.');
    expect(lastRequest()).toMatchObject({
      url: '/v1/chat/completions',
      headers: { authorization: 'Bearer rotated-key' },
    });
  });
});

describe('named and custom providers', () => {
  it('OpenAI forwards our request id and writes max_completion_tokens', async () => {
    server.enqueue({ kind: 'json', status: 200, body: answer });
    const openAI = createOpenAIProvider({ apiKey: () => 'sk', baseUrl: server.baseUrl });
    await openAI.languageModel('gpt-4o').generate({ model: 'gpt-4o', ...hello, maxTokens: 20 }, context);
    expect(lastRequest().headers['x-client-request-id']).toBe('req_1');
    expect(lastRequest().body).toMatchObject({ model: 'gpt-4o', max_completion_tokens: 20 });
  });

  it('Moonshot leaves out the sampling parameters its current models fix', async () => {
    server.enqueue({ kind: 'json', status: 200, body: answer });
    const moonshot = createMoonshotProvider({ apiKey: () => 'sk', baseUrl: server.baseUrl });
    await moonshot
      .languageModel('kimi-k3')
      .generate({ model: 'kimi-k3', ...hello, temperature: 0.3, topP: 0.5, n: 1, maxTokens: 20 }, context);
    expect(lastRequest().body).toEqual({
      model: 'kimi-k3',
      messages: hello.messages,
      max_completion_tokens: 20,
    });
  });

  it('Together serves ids that contain a slash and keeps configured models over its catalog', async () => {
    const together = createTogetherProvider({
      apiKey: () => 'key',
      baseUrl: server.baseUrl,
      models: [
        { id: 'Qwen/Qwen2.5-72B-Instruct-Turbo', kind: 'chat', contextWindow: 16_000, maxOutputTokens: 2000 },
      ],
    });
    const models = together.listModels();
    expect(models.find((model) => model.modelId === 'meta-llama/Llama-3.3-70B-Instruct-Turbo')?.id).toBe(
      'together/meta-llama/Llama-3.3-70B-Instruct-Turbo',
    );
    expect(models.find((model) => model.modelId === 'Qwen/Qwen2.5-72B-Instruct-Turbo')?.contextWindow).toBe(
      16_000,
    );
    server.enqueue({ kind: 'json', status: 200, body: answer });
    const model = 'meta-llama/Llama-3.3-70B-Instruct-Turbo';
    await together.languageModel(model).generate({ model, ...hello, maxTokens: 20 }, context);
    expect(lastRequest().body).toMatchObject({ model, max_tokens: 20 });
  });

  it('a custom server without a key gets no Authorization header', async () => {
    const local = createCustomOpenAICompatibleProvider({
      name: 'ollama',
      baseUrl: `${server.baseUrl}/v1`,
      models: [{ id: 'llama3.2', kind: 'chat', contextWindow: 128_000, maxOutputTokens: 2048 }],
    });
    server.enqueue({ kind: 'json', status: 200, body: answer });
    await local.languageModel('llama3.2').generate({ model: 'llama3.2', ...hello }, context);
    expect(lastRequest().headers.authorization).toBeUndefined();
    expect(lastRequest().url).toBe('/v1/chat/completions');
  });

  it('embedding calls take per-call credentials, base URL included', async () => {
    const other = await startFixtureServer();
    try {
      other.enqueue({
        kind: 'json',
        status: 200,
        body: { object: 'list', data: [{ index: 0, embedding: [1, 0] }], usage: { prompt_tokens: 2 } },
      });
      const openAI = createOpenAIProvider({ apiKey: () => 'sk-platform', baseUrl: server.baseUrl });
      // Why: the gateway passes call options with credentials to embed(), as to chat calls.
      const options = {
        requestId: 'req_2',
        credentials: { apiKey: 'sk-organization', baseUrl: other.baseUrl },
      };
      const result = await openAI
        .embeddingModel('text-embedding-3-small')
        .embed({ model: 'text-embedding-3-small', input: ['hi'], dimensions: 2 }, options);
      expect(result).toEqual({
        model: 'text-embedding-3-small',
        embeddings: [[1, 0]],
        usage: { promptTokens: 2 },
      });
      expect(other.requests[0]).toMatchObject({
        url: '/embeddings',
        headers: { authorization: 'Bearer sk-organization' },
        body: { model: 'text-embedding-3-small', input: ['hi'], dimensions: 2, encoding_format: 'float' },
      });
    } finally {
      await other.close();
    }
  });

  it('an embeddings answer with the wrong number of vectors is a bad response', async () => {
    server.enqueue({ kind: 'json', status: 200, body: { data: [{ embedding: [1] }] } });
    const openAI = createOpenAIProvider({ apiKey: () => 'sk', baseUrl: server.baseUrl });
    await expect(
      openAI.embeddingModel('text-embedding-3-small').embed({ model: 'x', input: ['a', 'b'] }, context),
    ).rejects.toMatchObject({ code: 'PROVIDER_BAD_RESPONSE' });
  });
});
