import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

let testApp: TestApp;
let tenant: { organizationId: string; keyId: string; secret: string };

beforeAll(async () => {
  // sim/burst answers after a fixed delay, so concurrent requests reach the ledger together.
  testApp = await startTestApp({
    config: {
      // Failed and interrupted calls are provoked with [[sim:…]] directives.
      providers: { sim: { fault_directives: true, models: { burst: { latency_ms: 30 } } } },
    },
  });
  tenant = await createTenant(testApp, { name: 'metered' });
});

afterAll(async () => {
  await testApp?.close();
});

const chat = (payload: object) =>
  testApp.app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: { authorization: `Bearer ${tenant.secret}` },
    payload,
  });

interface UsageRow {
  request_id: string;
  organization_id: string;
  requested_model: string | null;
  served_model: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  cost_usd: string;
  status: number;
  error_code: string | null;
  streamed: boolean;
  usage_source: string;
  time_to_first_token_ms: number | null;
  price_version: string | null;
}

async function usageRow(requestId: string): Promise<UsageRow | undefined> {
  const result = await testApp.database.query<UsageRow>('SELECT * FROM usage_records WHERE request_id = $1', [
    requestId,
  ]);
  return result.rows[0];
}

describe('usage metering', () => {
  it('writes one exact record per request before the response completes', async () => {
    const response = await chat({ model: 'sim/smart', messages: [{ role: 'user', content: 'Price me.' }] });
    expect(response.statusCode).toBe(200);
    const requestId = response.headers['x-request-id'] as string;
    const row = await usageRow(requestId);
    const usage = response.json().usage;
    expect(row).toMatchObject({
      organization_id: tenant.organizationId,
      requested_model: 'sim/smart',
      served_model: 'sim/smart',
      prompt_tokens: usage.prompt_tokens,
      completion_tokens: usage.completion_tokens,
      status: 200,
      error_code: null,
      usage_source: 'provider',
    });
    // sim/smart: $2.50 per million prompt tokens, $10 per million completion tokens, exactly.
    const expectedPico =
      BigInt(usage.prompt_tokens) * 2_500_000n + BigInt(usage.completion_tokens) * 10_000_000n;
    const [whole, fraction] = row!.cost_usd.split('.');
    expect(BigInt(whole!) * 10n ** 12n + BigInt(fraction!.padEnd(12, '0'))).toBe(expectedPico);
    expect(response.headers['x-kimi-cost-usd']).toBe(row!.cost_usd);
    expect(row!.price_version).toBeTruthy();
  });

  it('meters streams with time to first token', async () => {
    const response = await chat({
      model: 'sim/fast',
      stream: true,
      messages: [{ role: 'user', content: 'Stream please.' }],
    });
    expect(response.statusCode).toBe(200);
    expect(response.body.trim().endsWith('data: [DONE]')).toBe(true);
    const row = await usageRow(response.headers['x-request-id'] as string);
    expect(row).toMatchObject({ streamed: true, status: 200 });
    expect(row!.completion_tokens).toBeGreaterThan(0);
    expect(row!.time_to_first_token_ms).not.toBeNull();
  });

  it('records refused and failed requests with their status and code', async () => {
    const unknown = await chat({ model: 'nope/x', messages: [{ role: 'user', content: 'x' }] });
    expect(await usageRow(unknown.headers['x-request-id'] as string)).toMatchObject({
      status: 404,
      error_code: 'MODEL_NOT_FOUND',
      requested_model: 'nope/x',
    });
    const invalid = await chat({ model: 'sim/fast', messages: 'nope' });
    expect(await usageRow(invalid.headers['x-request-id'] as string)).toMatchObject({
      status: 400,
      error_code: 'INVALID_REQUEST',
    });
    const failed = await chat({
      model: 'sim/fast',
      messages: [{ role: 'user', content: 'x [[sim:error=503]]' }],
    });
    expect(await usageRow(failed.headers['x-request-id'] as string)).toMatchObject({
      status: 502,
      error_code: 'PROVIDER_UNAVAILABLE',
      served_model: 'sim/fast',
      cost_usd: '0.000000000000',
    });
  });

  it('bills the tokens a broken stream already produced', async () => {
    const response = await chat({
      model: 'sim/fast',
      stream: true,
      messages: [{ role: 'user', content: 'a long story [[sim:stream_fail_after=4]]' }],
    });
    expect(response.body).toContain('PROVIDER_STREAM_INTERRUPTED');
    const row = await usageRow(response.headers['x-request-id'] as string);
    expect(row).toMatchObject({
      status: 502,
      error_code: 'PROVIDER_STREAM_INTERRUPTED',
      usage_source: 'tokenizer',
    });
    expect(row!.completion_tokens).toBeGreaterThan(0);
  });

  it('aggregates the caller organisation’s usage by model, key and day, and nothing of others', async () => {
    const other = await createTenant(testApp, { name: 'other' });
    await testApp.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: `Bearer ${other.secret}` },
      payload: { model: 'sim/mini', messages: [{ role: 'user', content: 'other tenant' }] },
    });
    const byModel = await testApp.app.inject({
      method: 'GET',
      url: '/v1/usage?group_by=model',
      headers: { authorization: `Bearer ${tenant.secret}` },
    });
    expect(byModel.statusCode).toBe(200);
    const body = byModel.json();
    expect(body.organization_id).toBe(tenant.organizationId);
    const groups = body.data.map((row: { group: string }) => row.group);
    expect(groups).toContain('sim/smart');
    expect(groups).not.toContain('sim/mini');
    const smart = body.data.find((row: { group: string }) => row.group === 'sim/smart');
    expect(smart.requests).toBeGreaterThanOrEqual(1);
    expect(body.totals.requests).toBe(
      body.data.reduce((sum: number, row: { requests: number }) => sum + row.requests, 0),
    );

    const byKey = await testApp.app.inject({
      method: 'GET',
      url: '/v1/usage?group_by=key',
      headers: { authorization: `Bearer ${tenant.secret}` },
    });
    expect(byKey.json().data.map((row: { group: string }) => row.group)).toEqual([tenant.keyId]);
    const byDay = await testApp.app.inject({
      method: 'GET',
      url: '/v1/usage?group_by=day',
      headers: { authorization: `Bearer ${tenant.secret}` },
    });
    expect(byDay.json().data[0].group).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const bad = await testApp.app.inject({
      method: 'GET',
      url: '/v1/usage?group_by=color',
      headers: { authorization: `Bearer ${tenant.secret}` },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.param).toBe('group_by');
    const backwards = await testApp.app.inject({
      method: 'GET',
      url: '/v1/usage?from=2026-02-01&to=2026-01-01',
      headers: { authorization: `Bearer ${tenant.secret}` },
    });
    expect(backwards.json().error.param).toBe('from');
  });

  it('gives each of 100 concurrent requests exactly one record', async () => {
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        chat({ model: 'sim/burst', messages: [{ role: 'user', content: `burst ${index}` }] }),
      ),
    );
    expect(responses.every((response) => response.statusCode === 200)).toBe(true);
    const ids = responses.map((response) => response.headers['x-request-id'] as string);
    const rows = await testApp.database.query<{ count: number }>(
      'SELECT count(*)::int8 AS count FROM usage_records WHERE request_id = ANY($1::text[])',
      [ids],
    );
    expect(rows.rows[0]?.count).toBe(100);
  });
});

describe('operability', () => {
  it('serves liveness, readiness and Prometheus metrics without a key', async () => {
    expect((await testApp.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await testApp.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks).toMatchObject({ database: 'ok', migrations: 'ok' });
    const metrics = await testApp.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.headers['content-type']).toContain('text/plain');
    for (const name of [
      'kimi_http_requests_total',
      'kimi_model_requests_total',
      'kimi_model_request_duration_seconds',
      'kimi_time_to_first_token_seconds',
      'kimi_tokens_total',
      'kimi_cost_usd_total',
      'kimi_model_requests_in_flight',
      'kimi_metering_queue_depth',
    ]) {
      expect(metrics.body).toContain(name);
    }
    expect(metrics.body).toMatch(
      /kimi_model_requests_total\{endpoint="chat.completions",model="sim\/fast",provider="sim",status="200"\} \d+/,
    );
  });
});
