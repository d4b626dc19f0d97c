import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../src/providers/contract/fixture-server.ts';
import { FixtureFolder } from '../src/providers/contract/fixtures.ts';
import { metricValue } from './support/cache-test-support.ts';
import { deleteRedisKeysWithPrefix } from './support/redis-test-support.ts';
import { redisAvailable, testRedisUrl, uniqueRedisPrefix } from './support/services.ts';
import { createTenant, startTestApp, type TestApp, type TestAppOptions } from './support/test-app.ts';

/**
 * A model nobody priced (a custom OpenAI-compatible server without `prices`) is served to an
 * organisation with a budget: it settles at zero without a store error or a stale hold, on the
 * in-process ledger and on Redis, and both GET /v1/models and the usage record say it is unpriced.
 */
const redis = await redisAvailable();
const fixtures = new FixtureFolder(new URL('../src/providers/custom/__fixtures__/', import.meta.url));

function unpricedSuite(label: string, options: () => TestAppOptions) {
  describe(`an unpriced model under a budget (${label})`, () => {
    let upstream: FixtureServer;
    let testApp: TestApp;
    let tenant: { organizationId: string; keyId: string; secret: string };

    beforeAll(async () => {
      upstream = await startFixtureServer();
      testApp = await startTestApp({
        ...options(),
        config: {
          providers: {
            openai_compatible: [
              {
                name: 'local',
                base_url: upstream.baseUrl,
                models: [{ id: 'llama3.1', context_window: 131_072 }],
              },
            ],
          },
        },
      });
      tenant = await createTenant(testApp, { name: 'budgeted', role: 'admin' });
      const budget = await testApp.app.inject({
        method: 'POST',
        url: `/v1/admin/organizations/${tenant.organizationId}/budgets`,
        headers: { authorization: `Bearer ${testApp.adminKey}` },
        payload: { scope: 'organization', limit_usd: 10, period: 'month' },
      });
      expect(budget.statusCode).toBe(201);
    });

    afterAll(async () => {
      await testApp?.close();
      await upstream?.close();
    });

    const budgetReserved = async () => {
      const listed = await testApp.app.inject({
        method: 'GET',
        url: `/v1/admin/organizations/${tenant.organizationId}/budgets`,
        headers: { authorization: `Bearer ${testApp.adminKey}` },
      });
      return listed.json<{ data: Array<{ spent_usd: string; reserved_usd: string }> }>().data[0];
    };

    it('is flagged as unpriced in GET /v1/models', async () => {
      const models = await testApp.app.inject({
        method: 'GET',
        url: '/v1/models',
        headers: { authorization: `Bearer ${tenant.secret}` },
      });
      const byId = new Map(
        models
          .json<{ data: Array<{ id: string; kimi: { unpriced: boolean; pricing: unknown } }> }>()
          .data.map((model) => [model.id, model.kimi]),
      );
      expect(byId.get('local/llama3.1')).toMatchObject({ unpriced: true, pricing: null });
      expect(byId.get('sim/fast')).toMatchObject({ unpriced: false, pricing: { input: '0.100000000000' } });
    });

    it('settles at zero: no store error, no hold left, an unpriced usage record', async () => {
      for (let index = 0; index < 3; index++) upstream.enqueue(fixtures.response('text'));
      const responses = await Promise.all(
        Array.from({ length: 3 }, (_, index) =>
          testApp.app.inject({
            method: 'POST',
            url: '/v1/chat/completions',
            headers: { authorization: `Bearer ${tenant.secret}` },
            payload: { model: 'local/llama3.1', messages: [{ role: 'user', content: `Hello ${index}!` }] },
          }),
        ),
      );
      for (const response of responses) expect(response.statusCode).toBe(200);
      expect(await metricValue(testApp.app, 'kimi_admission_store_errors_total')).toBe(0);
      expect(await budgetReserved()).toMatchObject({ spent_usd: '0', reserved_usd: '0' });

      const requestIds = responses.map((response) => response.headers['x-request-id'] as string);
      const rows = await testApp.database.query<{ unpriced: boolean; cost_usd: string }>(
        'SELECT unpriced, cost_usd FROM usage_records WHERE request_id = ANY($1)',
        [requestIds],
      );
      expect(rows.rows).toHaveLength(3);
      for (const row of rows.rows) expect(row).toEqual({ unpriced: true, cost_usd: '0.000000000000' });

      const priced = await testApp.app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: { authorization: `Bearer ${tenant.secret}` },
        payload: { model: 'sim/fast', messages: [{ role: 'user', content: 'Hello, priced!' }] },
      });
      expect(priced.statusCode).toBe(200);
      const pricedRow = await testApp.database.query<{ unpriced: boolean }>(
        'SELECT unpriced FROM usage_records WHERE request_id = $1',
        [priced.headers['x-request-id']],
      );
      expect(pricedRow.rows[0]).toEqual({ unpriced: false });

      const usage = await testApp.app.inject({
        method: 'GET',
        url: '/v1/usage',
        headers: { authorization: `Bearer ${tenant.secret}` },
      });
      const groups = usage.json<{ data: Array<{ group: string; unpriced_requests: number }> }>().data;
      expect(groups.find((group) => group.group === 'local/llama3.1')?.unpriced_requests).toBe(3);
      expect(groups.find((group) => group.group === 'sim/fast')?.unpriced_requests).toBe(0);
    });
  });
}

unpricedSuite('in-process ledger', () => ({}));

describe.runIf(redis)('on Redis', () => {
  const prefix = uniqueRedisPrefix('unpriced');
  afterAll(async () => {
    await deleteRedisKeysWithPrefix(testRedisUrl, prefix);
  });
  unpricedSuite('Redis ledger', () => ({ redisUrl: testRedisUrl, redisPrefix: prefix }));
});
