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
const anthropicFixtures = new FixtureFolder(
  new URL('../src/providers/anthropic/__fixtures__/', import.meta.url),
);

let anthropicUpstream: FixtureServer;
let testApp: TestApp;
let tenant: { organizationId: string; keyId: string; secret: string };
let client: OpenAI;

beforeAll(async () => {
  anthropicUpstream = await startFixtureServer();
  testApp = await startTestApp({
    listen: true,
    config: {
      providers: { anthropic: { base_url: anthropicUpstream.baseUrl, api_key: 'sk-ant-platform-key' } },
    },
  });
  tenant = await createTenant(testApp, { role: 'admin' });
  client = new OpenAI({ apiKey: tenant.secret, baseURL: `${testApp.baseUrl}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await testApp?.close();
  await anthropicUpstream?.close();
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
    const error = await client.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'x' }] })
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
