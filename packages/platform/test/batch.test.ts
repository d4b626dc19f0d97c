import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

let testApp: TestApp;
let secret: string;

beforeAll(async () => {
  testApp = await startTestApp({
    config: {
      batch: { max_requests: 20, max_concurrency: 4 },
      providers: { sim: { fault_directives: true, models: { steady: { latency_ms: 50 } } } },
    },
  });
  secret = (await createTenant(testApp)).secret;
});

afterAll(async () => {
  await testApp?.close();
});

const batch = (payload: unknown) =>
  testApp.app.inject({
    method: 'POST',
    url: '/v1/batch/chat/completions',
    headers: { authorization: `Bearer ${secret}` },
    payload: payload as object,
  });

const ask = (content: string, extra: object = {}) => ({
  model: 'sim/fast',
  messages: [{ role: 'user', content }],
  ...extra,
});

describe('POST /v1/batch/chat/completions', () => {
  it('answers every item in order with its own status, and one bad item never fails the others', async () => {
    const response = await batch({
      requests: [
        ask('first'),
        { model: 'nope/model', messages: [{ role: 'user', content: 'x' }] },
        ask('third', { temperature: 9 }),
        ask('fourth', { stream: true }),
        ask('fifth [[sim:error=429]]'),
        ask('sixth', { max_tokens: 3 }),
        'not an object',
      ],
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.data.map((item: { index: number }) => item.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(body.data.map((item: { status: number }) => item.status)).toEqual([
      200, 404, 400, 400, 429, 200, 400,
    ]);
    expect(body.data[0].response.object).toBe('chat.completion');
    expect(body.data[1].error.code).toBe('MODEL_NOT_FOUND');
    expect(body.data[2].error.param).toBe('requests[2].temperature');
    expect(body.data[3].error.param).toBe('requests[3].stream');
    expect(body.data[4].error.code).toBe('PROVIDER_RATE_LIMITED');
    expect(body.data[5].response.choices[0].finish_reason).toBe('length');
    expect(body).toMatchObject({ succeeded: 2, failed: 5 });
    expect(body.usage.total_tokens).toBe(
      body.data[0].response.usage.total_tokens + body.data[5].response.usage.total_tokens,
    );

    // One usage record per item, under the item's own request id.
    const ids = body.data.map((item: { request_id: string }) => item.request_id);
    const rows = await testApp.database.query<{ request_id: string; status: number; cost_usd: string }>(
      'SELECT request_id, status, cost_usd FROM usage_records WHERE request_id = ANY($1::text[]) ORDER BY request_id',
      [ids],
    );
    expect(rows.rows.map((row) => row.status)).toEqual([200, 404, 400, 400, 429, 200, 400]);
    const totalCost = rows.rows.reduce((sum, row) => sum + Number(row.cost_usd), 0);
    expect(Number(body.cost_usd)).toBeCloseTo(totalCost, 12);
  });

  it('runs at most max_concurrency items at once', async () => {
    const started = performance.now();
    const response = await batch({
      requests: Array.from({ length: 8 }, (_, index) => ({
        model: 'sim/steady',
        messages: [{ role: 'user', content: `item ${index}` }],
      })),
      max_concurrency: 2,
    });
    expect(response.json().succeeded).toBe(8);
    // 8 items of 50 ms, two at a time, cannot finish in less than four rounds.
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('refuses a malformed envelope, naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'requests'],
      [{ requests: [] }, 'requests'],
      [{ requests: Array.from({ length: 21 }, () => ask('x')) }, 'requests'],
      [{ requests: [ask('x')], max_concurrency: 5 }, 'max_concurrency'],
      [{ requests: [ask('x')], extra: true }, 'extra'],
    ];
    for (const [payload, param] of cases) {
      const response = await batch(payload);
      expect(response.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(response.json().error.param).toBe(param);
    }
  });
});
