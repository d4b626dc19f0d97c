import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cacheStatusCounts,
  cacheUsageRow,
  chatRequest,
  metricValue,
  sseEvents,
} from './support/cache-test-support.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

let testApp: TestApp;
let tenant: { organizationId: string; keyId: string; secret: string };
let admin: { organizationId: string; keyId: string; secret: string };

beforeAll(async () => {
  testApp = await startTestApp({
    listen: true,
    config: {
      cache: { enabled: true },
      // sim/burst answers after a fixed delay, so concurrent requests overlap.
      providers: { sim: { fault_directives: true, models: { burst: { latency_ms: 80 } } } },
    },
  });
  tenant = await createTenant(testApp, { name: 'cached' });
  admin = await createTenant(testApp, { name: 'cache admin', role: 'admin' });
});

afterAll(async () => {
  await testApp?.close();
});

const chat = (payload: object, headers: Record<string, string> = {}, secret = tenant.secret) =>
  chatRequest(testApp.app, secret, payload, headers);

let counter = 0;
/** A prompt no other test sends, so each test starts cold. */
const fresh = (text: string) => `${text} (#${++counter})`;

describe('exact cache', () => {
  it('answers an identical request from L1 at cost 0 and records what it saved', async () => {
    const payload = {
      model: 'sim/smart',
      messages: [{ role: 'user', content: fresh('Name three rivers.') }],
    };
    const first = await chat(payload);
    const second = await chat(payload);
    expect(first.headers['x-kimi-cache']).toBe('miss');
    expect(second.headers['x-kimi-cache']).toBe('hit-l1');
    expect(second.json().choices).toEqual(first.json().choices);
    expect(second.json().usage).toEqual(first.json().usage);
    expect(second.headers['x-kimi-cost-usd']).toBe('0.000000000000');
    const missRow = await cacheUsageRow(testApp.database, first.headers['x-request-id'] as string);
    const hitRow = await cacheUsageRow(testApp.database, second.headers['x-request-id'] as string);
    expect(missRow).toMatchObject({ cache_status: 'miss', cache_saved_usd: '0.000000000000' });
    expect(hitRow).toMatchObject({ cache_status: 'hit-l1', cost_usd: '0.000000000000', status: 200 });
    expect(hitRow!.cache_saved_usd).toBe(missRow!.cost_usd);
  });

  it('keys on every parameter that changes the answer, and not on field order or attribution', async () => {
    const content = fresh('Pick a colour.');
    const base = { model: 'sim/fast', temperature: 0, messages: [{ role: 'user', content }] };
    expect((await chat(base)).headers['x-kimi-cache']).toBe('miss');
    expect((await chat({ ...base, temperature: 0.5 })).headers['x-kimi-cache']).toBe('miss');
    expect((await chat({ ...base, max_tokens: 5 })).headers['x-kimi-cache']).toBe('miss');
    expect((await chat({ ...base, model: 'sim/mini' })).headers['x-kimi-cache']).toBe('miss');
    const reordered = {
      messages: [{ content, role: 'user' }],
      temperature: 0,
      user: 'someone',
      model: 'sim/fast',
    };
    expect((await chat(reordered)).headers['x-kimi-cache']).toBe('hit-l1');
    const asParts = { ...base, messages: [{ role: 'user', content: [{ type: 'text', text: content }] }] };
    expect((await chat(asParts)).headers['x-kimi-cache']).toBe('hit-l1');
  });

  it('never serves one organisation an answer cached for another', async () => {
    const other = await createTenant(testApp, { name: 'neighbour' });
    const payload = {
      model: 'sim/fast',
      messages: [{ role: 'user', content: fresh('Shared secret plan?') }],
    };
    expect((await chat(payload)).headers['x-kimi-cache']).toBe('miss');
    expect((await chat(payload, {}, other.secret)).headers['x-kimi-cache']).toBe('miss');
    expect((await chat(payload, {}, other.secret)).headers['x-kimi-cache']).toBe('hit-l1');
  });

  it('honours Cache-Control no-store and no-cache, and x-kimi-cache-ttl', async () => {
    const payload = { model: 'sim/fast', messages: [{ role: 'user', content: fresh('Directives?') }] };
    expect((await chat(payload, { 'cache-control': 'no-store' })).headers['x-kimi-cache']).toBe('bypass');
    expect((await chat(payload)).headers['x-kimi-cache']).toBe('miss');
    // no-cache skips the lookup but stores the fresh answer.
    const refreshed = await chat(payload, { 'cache-control': 'no-cache' });
    expect(refreshed.headers['x-kimi-cache']).toBe('bypass');
    const after = await chat(payload);
    expect(after.headers['x-kimi-cache']).toBe('hit-l1');
    expect(after.json().choices).toEqual(refreshed.json().choices);

    const zero = { model: 'sim/fast', messages: [{ role: 'user', content: fresh('Zero TTL') }] };
    await chat(zero, { 'x-kimi-cache-ttl': '0' });
    expect((await chat(zero)).headers['x-kimi-cache']).toBe('miss');

    const bad = await chat(payload, { 'x-kimi-cache-ttl': 'soon' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'INVALID_REQUEST', param: 'x-kimi-cache-ttl' });
  });

  it('never stores errors or broken streams', async () => {
    const failing = {
      model: 'sim/fast',
      messages: [{ role: 'user', content: fresh('x [[sim:error=503]]') }],
    };
    expect((await chat(failing)).statusCode).toBe(502);
    const again = await chat(failing);
    expect(again.statusCode).toBe(502);
    expect(again.headers['x-kimi-cache']).toBeUndefined();

    const broken = {
      model: 'sim/fast',
      stream: true,
      messages: [{ role: 'user', content: fresh('a long story [[sim:stream_fail_after=3]]') }],
    };
    expect((await chat(broken)).body).toContain('PROVIDER_STREAM_INTERRUPTED');
    const retried = await chat(broken);
    expect(retried.headers['x-kimi-cache']).toBe('miss');
    expect(retried.body).toContain('PROVIDER_STREAM_INTERRUPTED');
  });
});

describe('streams', () => {
  it('replays a cached answer as a well-formed SSE stream with a final usage chunk', async () => {
    const messages = [{ role: 'user', content: fresh('Tell me about caching in two sentences.') }];
    const json = await chat({ model: 'sim/fast', messages });
    const streamed = await chat({
      model: 'sim/fast',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(streamed.headers['x-kimi-cache']).toBe('hit-l1');
    expect(streamed.headers['content-type']).toContain('text/event-stream');
    expect(streamed.body.trim().endsWith('data: [DONE]')).toBe(true);
    const events = sseEvents(streamed.body);
    for (const event of events)
      expect(event).toMatchObject({ object: 'chat.completion.chunk', model: 'sim/fast' });
    type Chunk = {
      choices: Array<{ delta: { content?: string }; finish_reason: string | null }>;
      usage?: unknown;
    };
    const chunks = events as unknown as Chunk[];
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(json.json().choices[0].message.content);
    expect(chunks.some((chunk) => chunk.choices[0]?.finish_reason === 'stop')).toBe(true);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: json.json().usage });
    const row = await cacheUsageRow(testApp.database, streamed.headers['x-request-id'] as string);
    expect(row).toMatchObject({ cache_status: 'hit-l1', streamed: true, cost_usd: '0.000000000000' });
  });

  it('fills the cache from a completed stream, read back by the openai client', async () => {
    const client = new OpenAI({ apiKey: tenant.secret, baseURL: `${testApp.baseUrl}/v1`, maxRetries: 0 });
    const messages = [{ role: 'user' as const, content: fresh('Stream first, then ask again.') }];
    let streamedText = '';
    const stream = await client.chat.completions.create({ model: 'sim/fast', messages, stream: true });
    for await (const chunk of stream) streamedText += chunk.choices[0]?.delta.content ?? '';
    const { data, response } = await client.chat.completions
      .create({ model: 'sim/fast', messages })
      .withResponse();
    expect(response.headers.get('x-kimi-cache')).toBe('hit-l1');
    expect(data.choices[0]?.message.content).toBe(streamedText);
    const again = await client.chat.completions.create({
      model: 'sim/fast',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    let replayed = '';
    let usage: unknown = null;
    for await (const chunk of again) {
      replayed += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(replayed).toBe(streamedText);
    expect(usage).toMatchObject({ prompt_tokens: data.usage?.prompt_tokens });
  });

  it('serves the Anthropic /v1/messages ingress from the same cache', async () => {
    const payload = {
      model: 'sim/fast',
      max_tokens: 100,
      messages: [{ role: 'user', content: fresh('Anthropic shaped question') }],
    };
    const send = () =>
      testApp.app.inject({
        method: 'POST',
        url: '/v1/messages',
        headers: { 'x-api-key': tenant.secret, 'anthropic-version': '2023-06-01' },
        payload,
      });
    const first = await send();
    const second = await send();
    expect(first.headers['x-kimi-cache']).toBe('miss');
    expect(second.headers['x-kimi-cache']).toBe('hit-l1');
    expect(second.json().content).toEqual(first.json().content);
  });
});

describe('single-flight', () => {
  it('shares one provider call among a burst of identical requests', async () => {
    const payload = { model: 'sim/burst', messages: [{ role: 'user', content: fresh('Burst!') }] };
    const before = await metricValue(testApp.app, 'kimi_provider_calls_total', { deployment: 'sim/burst' });
    const responses = await Promise.all(Array.from({ length: 12 }, () => chat(payload)));
    const after = await metricValue(testApp.app, 'kimi_provider_calls_total', { deployment: 'sim/burst' });
    expect(after - before).toBe(1);
    const statuses = responses.map((response) => response.headers['x-kimi-cache']);
    expect(statuses.filter((status) => status === 'miss')).toHaveLength(1);
    expect(statuses.filter((status) => status === 'hit-l1')).toHaveLength(11);
    const contents = new Set(responses.map((response) => response.json().choices[0].message.content));
    expect(contents.size).toBe(1);
  });

  it('lets waiting requests call the provider themselves when the shared call fails', async () => {
    const payload = {
      model: 'sim/burst',
      messages: [{ role: 'user', content: fresh('Burst failure [[sim:error=503]]') }],
    };
    const responses = await Promise.all(Array.from({ length: 4 }, () => chat(payload)));
    for (const response of responses) expect(response.statusCode).toBe(502);
  });
});

describe('policies', () => {
  it('turns the cache off per organisation and sets TTL and temperature rules per key', async () => {
    const scoped = await createTenant(testApp, { name: 'policy org' });
    const put = (url: string, payload: object) =>
      testApp.app.inject({
        method: 'PUT',
        url,
        headers: { authorization: `Bearer ${testApp.adminKey}` },
        payload,
      });
    const organizationUrl = `/v1/admin/organizations/${scoped.organizationId}/cache-policy`;
    const off = await put(organizationUrl, { enabled: false });
    expect(off.statusCode).toBe(200);
    expect(off.json()).toMatchObject({
      stored: { enabled: false },
      effective: { enabled: false, ttl_seconds: 300 },
    });
    const payload = { model: 'sim/fast', messages: [{ role: 'user', content: fresh('policy') }] };
    expect((await chat(payload, {}, scoped.secret)).headers['x-kimi-cache']).toBe('bypass');
    expect((await chat(payload, {}, scoped.secret)).headers['x-kimi-cache']).toBe('bypass');

    const keyUrl = `/v1/admin/organizations/${scoped.organizationId}/keys/${scoped.keyId}/cache-policy`;
    const keyPolicy = await put(keyUrl, { enabled: true, ttl_seconds: 60, cache_nonzero_temperature: false });
    expect(keyPolicy.json()).toMatchObject({
      stored: { enabled: true, ttl_seconds: 60, cache_nonzero_temperature: false },
      effective: { enabled: true, ttl_seconds: 60 },
    });
    const sampled = { ...payload, temperature: 0.7 };
    expect((await chat(sampled, {}, scoped.secret)).headers['x-kimi-cache']).toBe('bypass');
    const deterministic = { ...payload, temperature: 0 };
    expect((await chat(deterministic, {}, scoped.secret)).headers['x-kimi-cache']).toBe('miss');
    expect((await chat(deterministic, {}, scoped.secret)).headers['x-kimi-cache']).toBe('hit-l1');

    const invalid = await put(organizationUrl, { ttl_seconds: -1 });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.param).toBe('ttl_seconds');
    const forbidden = await testApp.app.inject({
      method: 'PUT',
      url: organizationUrl,
      headers: { authorization: `Bearer ${tenant.secret}` },
      payload: { enabled: true },
    });
    expect(forbidden.statusCode).toBe(403);
  });
});

describe('operations', () => {
  it('reports stats, purges an organisation on request, and exposes metrics', async () => {
    const payload = { model: 'sim/fast', messages: [{ role: 'user', content: fresh('stats') }] };
    await chat(payload, {}, admin.secret);
    await chat(payload, {}, admin.secret);
    const stats = await testApp.app.inject({
      method: 'GET',
      url: '/v1/cache/stats',
      headers: { authorization: `Bearer ${admin.secret}` },
    });
    expect(stats.statusCode).toBe(200);
    expect(stats.json()).toMatchObject({
      object: 'cache.stats',
      organization_id: admin.organizationId,
      requests: { hit_l1: 1, miss: 1 },
      hit_ratio: 0.5,
      l1: { entries: 1 },
    });
    expect(Number(stats.json().saved_usd)).toBeGreaterThan(0);

    const memberPurge = await testApp.app.inject({
      method: 'DELETE',
      url: '/v1/cache',
      headers: { authorization: `Bearer ${tenant.secret}` },
    });
    expect(memberPurge.statusCode).toBe(403);
    const purge = await testApp.app.inject({
      method: 'DELETE',
      url: '/v1/cache',
      headers: { authorization: `Bearer ${admin.secret}` },
    });
    // Without Redis there is no L2: L1 already holds every answer of this one process.
    expect(purge.json()).toMatchObject({
      l1_entries: 1,
      l2: 'not-configured',
      organization_id: admin.organizationId,
    });
    expect((await chat(payload, {}, admin.secret)).headers['x-kimi-cache']).toBe('miss');
    // Another organisation's entries survive the purge.
    const counts = await cacheStatusCounts(testApp.database, tenant.organizationId);
    expect(counts['hit-l1']).toBeGreaterThan(0);

    const metrics = await testApp.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/kimi_cache_requests_total\{result="hit",layer="l1"\} \d+/);
    expect(metrics.body).toMatch(/kimi_cache_l1_bytes \d+/);
    expect(metrics.body).toMatch(/kimi_cache_saved_usd_total\{layer="l1"\} [\d.e-]+/);
    expect(metrics.body).toContain('kimi_cache_evictions_total');
  });

  it('adds cache hits and saved cost to /v1/usage', async () => {
    const usage = await testApp.app.inject({
      method: 'GET',
      url: '/v1/usage',
      headers: { authorization: `Bearer ${tenant.secret}` },
    });
    expect(usage.json().totals.cache_hits).toBeGreaterThan(0);
    expect(Number(usage.json().totals.cache_saved_usd)).toBeGreaterThan(0);
  });
});
