import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../src/providers/contract/fixture-server.ts';
import { FixtureFolder } from '../src/providers/contract/fixtures.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * Real adapters end to end: the official openai client → the platform → each adapter → a local
 * server speaking that provider's wire format. Checks answers, streams, exact cost per provider
 * (their token fields differ), and that an organisation's own provider key is the one used.
 */
const fixturesOf = (folder: string, variant = '') =>
  new FixtureFolder(
    new URL(`../src/providers/${folder}/__fixtures__/${variant ? `${variant}/` : ''}`, import.meta.url),
  );
const anthropicFixtures = fixturesOf('anthropic');

interface OpenAIProtocolAdapter {
  label: string;
  fixtures: FixtureFolder;
  model: string;
  /** The exact cost of the contract's `text` fixture (12 prompt + 9 completion tokens) at this model's price. */
  textCost: string;
  authentication: [header: string, value: string];
  upstream?: FixtureServer;
}

/** Every OpenAI-protocol adapter, with the catalog (or config) price that the cost check expects. */
const adapters: OpenAIProtocolAdapter[] = [
  {
    label: 'OpenAI',
    fixtures: fixturesOf('openai'),
    model: 'openai/gpt-4o-mini',
    textCost: '0.000007200000', // 12 × $0.15 + 9 × $0.60 per million
    authentication: ['authorization', 'Bearer sk-openai-platform'],
  },
  {
    label: 'Together AI',
    fixtures: fixturesOf('together'),
    model: 'together/meta-llama/Llama-3.3-70B-Instruct-Turbo',
    textCost: '0.000018480000', // 21 × $0.88 per million
    authentication: ['authorization', 'Bearer together-platform'],
  },
  {
    label: 'Moonshot (Kimi)',
    fixtures: fixturesOf('moonshot'),
    model: 'moonshot/kimi-k2.6',
    textCost: '0.000047400000', // 12 × $0.95 + 9 × $4.00 per million
    authentication: ['authorization', 'Bearer moonshot-platform'],
  },
  {
    label: 'Azure OpenAI',
    fixtures: fixturesOf('azure-openai'),
    model: 'azure/gpt4o-prod',
    textCost: '0.000120000000', // priced as openai/gpt-4o: 12 × $2.50 + 9 × $10 per million
    authentication: ['api-key', 'azure-platform'],
  },
  {
    label: 'a custom OpenAI-compatible server',
    fixtures: fixturesOf('custom'),
    model: 'local/llama3.1',
    textCost: '0.000015000000', // config price: 12 × $0.50 + 9 × $1 per million
    authentication: ['authorization', 'Bearer local-platform'],
  },
];

let anthropicUpstream: FixtureServer;
let testApp: TestApp;
let tenant: { organizationId: string; keyId: string; secret: string };
let client: OpenAI;

beforeAll(async () => {
  anthropicUpstream = await startFixtureServer();
  for (const adapter of adapters) adapter.upstream = await startFixtureServer();
  const [openai, together, moonshot, azure, local] = adapters.map((adapter) => adapter.upstream!.baseUrl);
  testApp = await startTestApp({
    listen: true,
    config: {
      providers: {
        anthropic: { base_url: anthropicUpstream.baseUrl, api_key: 'sk-ant-platform-key' },
        openai: { base_url: openai, api_key: 'sk-openai-platform' },
        together: { base_url: together, api_key: 'together-platform' },
        moonshot: { base_url: moonshot, api_key: 'moonshot-platform' },
        azure_openai: {
          endpoint: azure,
          api_key: 'azure-platform',
          deployments: [
            { deployment: 'gpt4o-prod', model: 'gpt-4o', context_window: 128_000, max_output_tokens: 16_384 },
            {
              deployment: 'embedder',
              model: 'text-embedding-3-small',
              kind: 'embedding',
              context_window: 8191,
              dimensions: 3,
            },
          ],
        },
        openai_compatible: [
          {
            name: 'local',
            base_url: local,
            api_key: 'local-platform',
            models: [{ id: 'llama3.1', context_window: 131_072 }],
          },
        ],
      },
      prices: { 'local/llama3.1': { input_per_million: '0.5', output_per_million: '1' } },
    },
  });
  tenant = await createTenant(testApp, { role: 'admin' });
  client = new OpenAI({ apiKey: tenant.secret, baseURL: `${testApp.baseUrl}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await testApp?.close();
  await anthropicUpstream?.close();
  for (const adapter of adapters) await adapter.upstream?.close();
});

describe.each(adapters)('$label-served models through the OpenAI API', (adapter) => {
  it('answers with the exact cost, authenticating the provider’s way', async () => {
    adapter.upstream!.enqueue(adapter.fixtures.response('text'));
    const { data: completion, response } = await client.chat.completions
      .create({ model: adapter.model, messages: [{ role: 'user', content: 'Hello!' }] })
      .withResponse();
    expect(completion.choices[0]?.message.content).toBe('Hello! How can I help you today?');
    expect(completion.model).toBe(adapter.model);
    const row = await usageRow(response.headers.get('x-request-id')!);
    expect(row).toMatchObject({ prompt_tokens: 12, completion_tokens: 9, cost_usd: adapter.textCost });
    const [header, value] = adapter.authentication;
    expect(adapter.upstream!.requests.at(-1)?.headers[header]).toBe(value);
  });

  it('streams, with usage', async () => {
    adapter.upstream!.enqueue(adapter.fixtures.response('text-stream'));
    const stream = await client.chat.completions.create({
      model: adapter.model,
      messages: [{ role: 'user', content: 'Hello!' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe('Hello! How can I help you today?');
    expect(usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 9 });
  });

  it('returns parallel tool calls', async () => {
    adapter.upstream!.enqueue(adapter.fixtures.response('tool-calls'));
    const completion = await client.chat.completions.create({
      model: adapter.model,
      messages: [{ role: 'user', content: 'Weather in Paris and time in Tokyo?' }],
      tools: [
        { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
        { type: 'function', function: { name: 'get_time', parameters: { type: 'object' } } },
      ],
    });
    const calls = completion.choices[0]?.message.tool_calls ?? [];
    expect(calls.map((call) => (call.type === 'function' ? call.function.name : ''))).toEqual([
      'get_weather',
      'get_time',
    ]);
  });
});

describe('embeddings through real adapters', () => {
  it('OpenAI: vectors in input order through the default base64 encoding, metered', async () => {
    const openai = adapters[0]!;
    openai.upstream!.enqueue(openai.fixtures.response('embeddings'));
    const { data: result, response } = await client.embeddings
      .create({ model: 'openai/text-embedding-3-small', input: ['first text', 'second text'] })
      .withResponse();
    expect(result.data[0]?.embedding[0]).toBeCloseTo(0.1, 6);
    expect(result.data[1]?.embedding[2]).toBeCloseTo(0.6, 6);
    // 8 tokens × $0.02 per million
    expect(await usageRow(response.headers.get('x-request-id')!)).toMatchObject({
      cost_usd: '0.000000160000',
    });
  });

  it('Azure: through a deployment', async () => {
    const azure = adapters[3]!;
    azure.upstream!.enqueue(azure.fixtures.response('embeddings'));
    const result = await client.embeddings.create({
      model: 'azure/embedder',
      input: ['first text', 'second text'],
      encoding_format: 'float',
    });
    expect(result.data.map((entry) => entry.embedding)).toEqual([
      [0.1, 0.2, 0.3],
      [0.4, 0.5, 0.6],
    ]);
    expect(azure.upstream!.requests.at(-1)?.url).toMatch(
      /^\/openai\/deployments\/embedder\/embeddings\?api-version=/,
    );
  });
});

describe('Azure content filter', () => {
  it('is a 400 CONTENT_FILTERED that names the field, for the client', async () => {
    const azure = adapters[3]!;
    azure.upstream!.enqueue(azure.fixtures.response('content-filter'));
    const error = await client.chat.completions
      .create({ model: 'azure/gpt4o-prod', messages: [{ role: 'user', content: 'x' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ code: 'CONTENT_FILTERED', param: 'messages' });
  });
});

async function usageRow(requestId: string) {
  const result = await testApp.database.query<{
    prompt_tokens: number;
    completion_tokens: number;
    cached_tokens: number;
    cache_write_tokens: number;
    cost_usd: string;
    provider: string;
    served_model: string;
  }>('SELECT * FROM usage_records WHERE request_id = $1', [requestId]);
  return result.rows[0];
}

describe('Anthropic-served models through the OpenAI API', () => {
  const model = 'anthropic/claude-sonnet-5-5';

  it('answers, and meters the exact cost from the catalog price', async () => {
    anthropicUpstream.enqueue(anthropicFixtures.response('text'));
    const { data: completion, response } = await client.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'Hello!' }], max_tokens: 100 })
      .withResponse();
    expect(completion.choices[0]?.message.content).toBe('Hello! How can I help you today?');
    expect(completion.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 9 });
    const row = await usageRow(response.headers.get('x-request-id')!);
    // $2 / $10 per million: 12 × 2e-6 + 9 × 10e-6 = 0.000114
    expect(row).toMatchObject({ provider: 'anthropic', served_model: model, cost_usd: '0.000114000000' });
    expect(anthropicUpstream.requests.at(-1)?.headers['x-api-key']).toBe('sk-ant-platform-key');
  });

  it('streams through the openai client', async () => {
    anthropicUpstream.enqueue(anthropicFixtures.response('text-stream'));
    const stream = await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'Hello!' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe('Hello! How can I help you today?');
    expect(usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 9 });
  });

  it('bills cache reads and cache writes at their own prices', async () => {
    anthropicUpstream.enqueue(anthropicFixtures.response('cached-usage'));
    const { data: completion, response } = await client.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'Again' }] })
      .withResponse();
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(1500);
    const row = await usageRow(response.headers.get('x-request-id')!);
    // input 400 × $2 + cache read 1500 × $0.20 + cache write 100 × $2.50 + output 5 × $10, per million
    expect(row).toMatchObject({
      prompt_tokens: 2000,
      cached_tokens: 1500,
      cache_write_tokens: 100,
      cost_usd: '0.001400000000',
    });
  });

  it('maps provider errors for the client', async () => {
    anthropicUpstream.enqueue(anthropicFixtures.response('rate-limit'));
    // Another deployment: the 429's Retry-After holds this one back for 7 s, as it should.
    const error = await client.chat.completions
      .create({ model: 'anthropic/claude-opus-5-5', messages: [{ role: 'user', content: 'x' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after')).toBe('7');
  });

  it("uses the organisation's own provider key once set, and the platform's again after it is deleted", async () => {
    const url = `/v1/admin/organizations/${tenant.organizationId}/provider-keys/anthropic`;
    const headers = { authorization: `Bearer ${tenant.secret}` };
    const put = await testApp.app.inject({
      method: 'PUT',
      url,
      headers,
      payload: { api_key: 'sk-ant-organization-key' },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ provider: 'anthropic', key_hint: '…-key' });
    expect(put.body).not.toContain('sk-ant-organization-key');

    const stored = await testApp.database.query<{ sealed_api_key: string }>(
      'SELECT sealed_api_key FROM organization_provider_keys WHERE organization_id = $1',
      [tenant.organizationId],
    );
    expect(stored.rows[0]?.sealed_api_key).toMatch(/^v1:/);
    expect(stored.rows[0]?.sealed_api_key).not.toContain('organization-key');

    anthropicUpstream.enqueue(anthropicFixtures.response('text'));
    await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] });
    expect(anthropicUpstream.requests.at(-1)?.headers['x-api-key']).toBe('sk-ant-organization-key');

    const listed = await testApp.app.inject({ method: 'GET', url: url.replace('/anthropic', ''), headers });
    expect(listed.json().data).toHaveLength(1);
    expect(listed.body).not.toContain('organization-key');

    expect((await testApp.app.inject({ method: 'DELETE', url, headers })).statusCode).toBe(200);
    anthropicUpstream.enqueue(anthropicFixtures.response('text'));
    await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] });
    expect(anthropicUpstream.requests.at(-1)?.headers['x-api-key']).toBe('sk-ant-platform-key');
  });

  it('refuses provider keys for unknown providers, plain http base URLs, and other organisations', async () => {
    const headers = { authorization: `Bearer ${tenant.secret}` };
    const base = `/v1/admin/organizations/${tenant.organizationId}/provider-keys`;
    const unknown = await testApp.app.inject({
      method: 'PUT',
      url: `${base}/nope`,
      headers,
      payload: { api_key: 'sk-12345678' },
    });
    expect(unknown.json().error.param).toBe('provider');
    const sim = await testApp.app.inject({
      method: 'PUT',
      url: `${base}/sim`,
      headers,
      payload: { api_key: 'sk-12345678' },
    });
    expect(sim.json().error.param).toBe('provider');
    const http = await testApp.app.inject({
      method: 'PUT',
      url: `${base}/anthropic`,
      headers,
      payload: { api_key: 'sk-12345678', base_url: 'http://10.0.0.1/' },
    });
    expect(http.json().error.param).toBe('base_url');
    const other = await createTenant(testApp, { role: 'admin' });
    const cross = await testApp.app.inject({
      method: 'PUT',
      url: `/v1/admin/organizations/${other.organizationId}/provider-keys/anthropic`,
      headers,
      payload: { api_key: 'sk-12345678' },
    });
    expect(cross.statusCode).toBe(403);
  });

  it('lists Anthropic models beside the simulated ones, with prices', async () => {
    const models = [];
    for await (const entry of client.models.list())
      models.push(
        entry as unknown as {
          id: string;
          kimi: { simulated: boolean; pricing: { input: string } | null; context_window: number };
        },
      );
    const sonnet = models.find((entry) => entry.id === model);
    expect(sonnet?.kimi).toMatchObject({ simulated: false, pricing: { input: '2.000000000000' } });
    expect(sonnet?.kimi.context_window).toBeGreaterThan(100_000);
    expect(models.some((entry) => entry.id === 'sim/fast')).toBe(true);
  });
});

describe('the official @anthropic-ai/sdk against /v1/messages, through real adapters', () => {
  const served = [
    {
      label: 'an Anthropic-served model',
      model: 'anthropic/claude-sonnet-5-5',
      upstream: () => anthropicUpstream,
      fixtures: anthropicFixtures,
    },
    {
      label: 'an OpenAI-served model',
      model: 'openai/gpt-4o-mini',
      upstream: () => adapters[0]!.upstream!,
      fixtures: adapters[0]!.fixtures,
    },
  ];
  let anthropic: Anthropic;

  beforeAll(() => {
    anthropic = new Anthropic({ apiKey: tenant.secret, baseURL: testApp.baseUrl, maxRetries: 0 });
  });

  describe.each(served)('$label', ({ model, upstream, fixtures }) => {
    it('answers a message', async () => {
      upstream().enqueue(fixtures.response('text'));
      const message = await anthropic.messages.create({
        model,
        max_tokens: 100,
        system: 'You are a helpful assistant.',
        messages: [{ role: 'user', content: 'Hello!' }],
      });
      expect(message.content).toEqual([
        expect.objectContaining({ type: 'text', text: 'Hello! How can I help you today?' }),
      ]);
      expect(message.stop_reason).toBe('end_turn');
      expect(message.usage).toMatchObject({ input_tokens: 12, output_tokens: 9 });
    });

    it('streams', async () => {
      upstream().enqueue(fixtures.response('text-stream'));
      const stream = anthropic.messages.stream({
        model,
        max_tokens: 100,
        messages: [{ role: 'user', content: 'Hello!' }],
      });
      let text = '';
      stream.on('text', (delta) => {
        text += delta;
      });
      const final = await stream.finalMessage();
      expect(text).toBe('Hello! How can I help you today?');
      expect(final.usage.output_tokens).toBe(9);
    });

    it('uses tools: tool_use blocks with parsed input, then a tool_result round trip', async () => {
      upstream().enqueue(fixtures.response('tool-calls'));
      const tools: Anthropic.Tool[] = [
        { name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
        { name: 'get_time', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
      ];
      const first = await anthropic.messages.create({
        model,
        max_tokens: 100,
        tools,
        messages: [{ role: 'user', content: 'What is the weather in Paris and the time in Tokyo?' }],
      });
      expect(first.stop_reason).toBe('tool_use');
      const uses = first.content.filter(
        (block): block is Anthropic.ToolUseBlock => block.type === 'tool_use',
      );
      expect(uses.map((use) => [use.name, use.input])).toEqual([
        ['get_weather', { city: 'Paris' }],
        ['get_time', { city: 'Tokyo' }],
      ]);

      upstream().enqueue(fixtures.response('tool-result'));
      const second = await anthropic.messages.create({
        model,
        max_tokens: 100,
        tools,
        messages: [
          { role: 'user', content: 'What is the weather in Paris and the time in Tokyo?' },
          { role: 'assistant', content: first.content },
          {
            role: 'user',
            content: uses.map((use) => ({
              type: 'tool_result' as const,
              tool_use_id: use.id,
              content: '{"ok":true}',
            })),
          },
        ],
      });
      expect(second.content[0]).toMatchObject({ type: 'text', text: 'It is 18°C and cloudy in Paris.' });
      const sent = upstream().requests.at(-1)?.body as Record<string, unknown>;
      // Whatever the provider's format, both tool results reached it.
      expect(JSON.stringify(sent)).toContain(uses[0]!.id);
      expect(JSON.stringify(sent)).toContain(uses[1]!.id);
    });

    it('streams tool use', async () => {
      upstream().enqueue(fixtures.response('tool-calls-stream'));
      const final = await anthropic.messages
        .stream({
          model,
          max_tokens: 100,
          tools: [
            { name: 'get_weather', input_schema: { type: 'object' } },
            { name: 'get_time', input_schema: { type: 'object' } },
          ],
          messages: [{ role: 'user', content: 'What is the weather in Paris and the time in Tokyo?' }],
        })
        .finalMessage();
      const uses = final.content.filter((block) => block.type === 'tool_use');
      expect(uses.map((use) => (use.type === 'tool_use' ? use.input : null))).toEqual([
        { city: 'Paris' },
        { city: 'Tokyo' },
      ]);
    });
  });
});
