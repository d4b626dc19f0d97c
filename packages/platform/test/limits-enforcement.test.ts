import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/*
 * Plans, quotas, rate limits, concurrency and budgets as a client meets them, through the real app
 * on the embedded store. Prices are set so that a request with max_tokens 1 to sim/fast costs
 * exactly $0.01 (one output token at $10,000 per million; input free), which makes budget arithmetic exact.
 */
const config = {
  // A slow call is provoked with [[sim:latency_ms=…]].
  providers: { sim: { fault_directives: true } },
  prices: { 'sim/fast': { input_per_million: '0', output_per_million: '10000' } },
  plans: {
    small: {
      name: 'Small',
      rank: 10,
      monthly_price_usd: '5',
      monthly_request_quota: 3,
      allowed_models: ['sim/fast'],
      requests_per_minute: null,
      tokens_per_minute: null,
      concurrent_requests: null,
      monthly_budget_usd: null,
    },
    large: {
      name: 'Large',
      rank: 11,
      monthly_price_usd: '50',
      monthly_request_quota: 1000,
      allowed_models: ['sim/*'],
      requests_per_minute: null,
      tokens_per_minute: null,
      concurrent_requests: null,
      monthly_budget_usd: null,
    },
  },
};

let testApp: TestApp;

beforeAll(async () => {
  testApp = await startTestApp({ config });
});

afterAll(async () => {
  await testApp?.close();
});

const asAdmin = { authorization: `Bearer sk-kimi-test-admin-${'x'.repeat(32)}` };

async function admin(method: 'PUT' | 'POST' | 'GET', url: string, payload?: object) {
  const response = await testApp.app.inject({
    method,
    url,
    headers: asAdmin,
    ...(payload ? { payload } : {}),
  });
  if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.body}`);
  return response.json();
}

function chat(secret: string, body: Record<string, unknown> = {}) {
  return testApp.app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: { authorization: `Bearer ${secret}` },
    payload: {
      model: 'sim/fast',
      max_tokens: 1,
      messages: [{ role: 'user', content: 'Write a long story about a lighthouse keeper.' }],
      ...body,
    },
  });
}

describe('plans and quotas', () => {
  it('refuses a model outside the plan (403 naming model and the upgrade), without using quota', async () => {
    const tenant = await createTenant(testApp, { name: 'small plan' });
    await admin('PUT', `/v1/admin/organizations/${tenant.organizationId}/plan`, { plan: 'small' });

    const refused = await chat(tenant.secret, { model: 'sim/smart' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ code: 'MODEL_NOT_IN_PLAN', param: 'model' });
    expect(refused.json().error.message).toContain('Small plan');
    expect(refused.json().error.hint).toContain('Upgrade to the Large plan ($50/month)');

    for (let index = 0; index < 3; index++) expect((await chat(tenant.secret)).statusCode).toBe(200);
    const overQuota = await chat(tenant.secret);
    expect(overQuota.statusCode).toBe(429);
    expect(overQuota.json().error.code).toBe('QUOTA_EXCEEDED');
    expect(overQuota.json().error.message).toContain('quota of 3 model requests per month');
    expect(overQuota.json().error.hint).toContain('Large plan');
    expect(Number(overQuota.headers['retry-after'])).toBeGreaterThan(0);

    // An upgrade takes effect at once.
    await admin('PUT', `/v1/admin/organizations/${tenant.organizationId}/plan`, { plan: 'large' });
    expect((await chat(tenant.secret)).statusCode).toBe(200);
    expect((await chat(tenant.secret, { model: 'sim/smart' })).statusCode).toBe(200);
  });
});

describe('rate limits', () => {
  it('allows exactly the requests per minute, with OpenAI-style headers, then 429 with Retry-After', async () => {
    const tenant = await createTenant(testApp, { name: 'rpm' });
    await admin('PUT', `/v1/admin/organizations/${tenant.organizationId}/rate-limits`, {
      requests_per_minute: 5,
      tokens_per_minute: 100_000,
    });
    const remaining: string[] = [];
    for (let index = 0; index < 5; index++) {
      const response = await chat(tenant.secret);
      expect(response.statusCode).toBe(200);
      expect(response.headers['x-ratelimit-limit-requests']).toBe('5');
      expect(response.headers['x-ratelimit-limit-tokens']).toBe('100000');
      // OpenAI's reset is until the window has fully reset: a minute after this request, never 0ms.
      expect(response.headers['x-ratelimit-reset-requests']).toMatch(/^(59s|1m0s)$/);
      remaining.push(String(response.headers['x-ratelimit-remaining-requests']));
    }
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);
    const refused = await chat(tenant.secret);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('RATE_LIMIT_EXCEEDED');
    expect(refused.json().error.message).toContain('requests per minute');
    expect(refused.headers['x-ratelimit-remaining-requests']).toBe('0');
    expect(refused.headers['x-ratelimit-reset-requests']).toMatch(/^\d+(ms|s|m\d+s)$/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('refuses a request whose tokens alone exceed the tokens-per-minute limit, naming max_tokens', async () => {
    const tenant = await createTenant(testApp, { name: 'tpm' });
    await admin('PUT', `/v1/admin/organizations/${tenant.organizationId}/rate-limits`, {
      tokens_per_minute: 100,
    });
    const refused = await chat(tenant.secret, { max_tokens: 500 });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error).toMatchObject({ code: 'RATE_LIMIT_EXCEEDED', param: 'max_tokens' });
    expect((await chat(tenant.secret, { max_tokens: 20 })).statusCode).toBe(200);
  });

  it('holds concurrent requests to the limit and frees the slots when they end', async () => {
    const tenant = await createTenant(testApp, { name: 'concurrency' });
    await admin('PUT', `/v1/admin/organizations/${tenant.organizationId}/rate-limits`, {
      concurrent_requests: 2,
    });
    const slow = { messages: [{ role: 'user', content: 'Wait. [[sim:latency_ms=300]]' }] };
    const responses = await Promise.all(Array.from({ length: 5 }, () => chat(tenant.secret, slow)));
    const statuses = responses.map((response) => response.statusCode).sort();
    expect(statuses).toEqual([200, 200, 429, 429, 429]);
    const refusal = responses.find((response) => response.statusCode === 429);
    expect(refusal?.json().error.code).toBe('CONCURRENCY_LIMIT_EXCEEDED');
    const again = await Promise.all([chat(tenant.secret), chat(tenant.secret)]);
    expect(again.map((response) => response.statusCode)).toEqual([200, 200]);
  });

  it('refuses on /v1/messages and /v1/embeddings in their own shapes, with the headers', async () => {
    const tenant = await createTenant(testApp, { name: 'other endpoints' });
    await admin('PUT', `/v1/admin/organizations/${tenant.organizationId}/rate-limits`, {
      requests_per_minute: 1,
    });
    const embedded = await testApp.app.inject({
      method: 'POST',
      url: '/v1/embeddings',
      headers: { authorization: `Bearer ${tenant.secret}` },
      payload: { model: 'sim/embed', input: 'hello' },
    });
    expect(embedded.statusCode).toBe(200);
    expect(embedded.headers['x-ratelimit-remaining-requests']).toBe('0');
    const messages = await testApp.app.inject({
      method: 'POST',
      url: '/v1/messages',
      headers: { 'x-api-key': tenant.secret, 'anthropic-version': '2023-06-01' },
      payload: { model: 'sim/fast', max_tokens: 5, messages: [{ role: 'user', content: 'Hi' }] },
    });
    expect(messages.statusCode).toBe(429);
    expect(messages.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(Number(messages.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('applies a key limit besides the organisation limit', async () => {
    const tenant = await createTenant(testApp, { name: 'key limit' });
    await admin('PUT', `/v1/admin/organizations/${tenant.organizationId}/keys/${tenant.keyId}/rate-limits`, {
      requests_per_minute: 2,
    });
    expect((await chat(tenant.secret)).statusCode).toBe(200);
    expect((await chat(tenant.secret)).statusCode).toBe(200);
    const refused = await chat(tenant.secret);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.message).toContain('API key');
  });
});

describe('cache hits', () => {
  it('count against rate limits and settle their budget reservation at zero', async () => {
    const tenant = await createTenant(testApp, { name: 'cached' });
    await admin('PUT', `/v1/admin/organizations/${tenant.organizationId}/cache-policy`, { enabled: true });
    await admin('PUT', `/v1/admin/organizations/${tenant.organizationId}/rate-limits`, {
      requests_per_minute: 3,
    });
    const budget = await admin('POST', `/v1/admin/organizations/${tenant.organizationId}/budgets`, {
      scope: 'organization',
      limit_usd: '0.02',
      period: 'month',
    });
    const first = await chat(tenant.secret, { temperature: 0 });
    expect(first.headers['x-kimi-cache']).toBe('miss');
    const second = await chat(tenant.secret, { temperature: 0 });
    expect(second.statusCode).toBe(200);
    expect(second.headers['x-kimi-cache']).toBe('hit-l1');
    expect(second.headers['x-ratelimit-remaining-requests']).toBe('1');
    // Only the miss spent: the hit reserved its maximum ($0.01) like any request, and settled at $0.
    const viewed = await admin(
      'GET',
      `/v1/admin/organizations/${tenant.organizationId}/budgets/${budget.id}`,
    );
    expect(viewed).toMatchObject({ spent_usd: '0.01', reserved_usd: '0' });
    expect((await chat(tenant.secret, { temperature: 0 })).statusCode).toBe(200);
    expect((await chat(tenant.secret, { temperature: 0 })).statusCode).toBe(429);
  });
});

describe('budgets', () => {
  it('reserves the maximum cost, settles the real cost and refuses with 402 naming the budget and its reset', async () => {
    const tenant = await createTenant(testApp, { name: 'budget' });
    const budget = await admin('POST', `/v1/admin/organizations/${tenant.organizationId}/budgets`, {
      scope: 'organization',
      limit_usd: '0.05',
      period: 'month',
    });
    for (let index = 0; index < 5; index++) {
      const response = await chat(tenant.secret);
      expect(response.statusCode).toBe(200);
      expect(response.headers['x-kimi-cost-usd']).toBe('0.010000000000');
    }
    const refused = await chat(tenant.secret);
    expect(refused.statusCode).toBe(402);
    expect(refused.json().error.code).toBe('BUDGET_EXCEEDED');
    expect(refused.json().error.message).toContain(budget.id);
    expect(refused.json().error.message).toMatch(/resets at \d{4}-\d{2}-01T00:00:00.000Z/);
    expect(refused.json().error.message).toContain('spent $0.05');

    const viewed = await admin(
      'GET',
      `/v1/admin/organizations/${tenant.organizationId}/budgets/${budget.id}`,
    );
    expect(viewed).toMatchObject({ spent_usd: '0.05', reserved_usd: '0' });
  });

  it('counts an end user budget by the request user field', async () => {
    const tenant = await createTenant(testApp, { name: 'end users' });
    await admin('POST', `/v1/admin/organizations/${tenant.organizationId}/budgets`, {
      scope: 'end_user',
      subject: 'alice',
      limit_usd: '0.02',
      period: 'day',
    });
    expect((await chat(tenant.secret, { user: 'alice' })).statusCode).toBe(200);
    expect((await chat(tenant.secret, { user: 'alice' })).statusCode).toBe(200);
    const refused = await chat(tenant.secret, { user: 'alice' });
    expect(refused.statusCode).toBe(402);
    expect(refused.json().error.message).toContain('end user budget');
    expect((await chat(tenant.secret, { user: 'bob' })).statusCode).toBe(200);
  });

  it('settles a stream and a refusal leaves no reservation behind', async () => {
    const tenant = await createTenant(testApp, { name: 'stream budget' });
    const budget = await admin('POST', `/v1/admin/organizations/${tenant.organizationId}/budgets`, {
      scope: 'api_key',
      subject: tenant.keyId,
      limit_usd: '0.03',
      period: 'total',
    });
    const streamed = await chat(tenant.secret, { stream: true });
    expect(streamed.statusCode).toBe(200);
    expect(streamed.body).toContain('[DONE]');
    // max_tokens 3 may cost $0.03: more than the $0.02 left, refused up front.
    expect((await chat(tenant.secret, { max_tokens: 3 })).statusCode).toBe(402);
    const viewed = await admin(
      'GET',
      `/v1/admin/organizations/${tenant.organizationId}/budgets/${budget.id}`,
    );
    expect(viewed).toMatchObject({ spent_usd: '0.01', reserved_usd: '0' });
  });

  it('raises each alert threshold once as traffic spends the budget', async () => {
    const tenant = await createTenant(testApp, { name: 'alerts' });
    const budget = await admin('POST', `/v1/admin/organizations/${tenant.organizationId}/budgets`, {
      scope: 'organization',
      limit_usd: '0.04',
      period: 'month',
    });
    for (let index = 0; index < 5; index++) await chat(tenant.secret);
    let thresholds: number[] = [];
    for (let attempt = 0; attempt < 50 && thresholds.length < 3; attempt++) {
      const listed = await admin('GET', `/v1/admin/organizations/${tenant.organizationId}/budget-alerts`);
      thresholds = (listed.data as Array<{ budget_id: string; threshold: number }>)
        .filter((alert) => alert.budget_id === budget.id)
        .map((alert) => alert.threshold)
        .sort((left, right) => left - right);
      if (thresholds.length < 3) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(thresholds).toEqual([50, 80, 100]);
  });

  it('after a restart the counters are rebuilt from the usage records (the stricter value wins)', async () => {
    const tenant = await createTenant(testApp, { name: 'restart' });
    await admin('POST', `/v1/admin/organizations/${tenant.organizationId}/budgets`, {
      scope: 'organization',
      limit_usd: '0.02',
      period: 'day',
    });
    expect((await chat(tenant.secret)).statusCode).toBe(200);
    expect((await chat(tenant.secret)).statusCode).toBe(200);
    // A second app on the same database starts with empty in-process counters.
    const restarted = await startTestApp({ config, database: testApp.database });
    try {
      const response = await restarted.app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: { authorization: `Bearer ${tenant.secret}` },
        payload: { model: 'sim/fast', max_tokens: 1, messages: [{ role: 'user', content: 'Hello' }] },
      });
      expect(response.statusCode).toBe(402);
      expect(response.json().error.message).toContain('spent $0.02');
    } finally {
      await restarted.close();
    }
  });
});
