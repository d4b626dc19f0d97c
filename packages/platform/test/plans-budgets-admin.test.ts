import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerPlanAndBudgetRoutes } from '../src/http/admin/plan-budget-routes.ts';
import { authenticate } from '../src/http/authentication.ts';
import { sendError, toPlatformError } from '../src/http/error-handler.ts';
import {
  type AlertDelivery,
  checkBudgetAlerts,
  startAlertDelivery,
  verifyWebhookSignature,
  webhookSignatureHeader,
} from '../src/metering/budgets/index.ts';
import { seedPlans } from '../src/metering/plans/index.ts';
import { createPlanAndBudgetServices, type OrganizationLimitsChange } from '../src/platform/index.ts';
import { createMemoryEventBus } from '../src/storage/pubsub/index.ts';
import { createMemoryJobQueue, type JobQueue } from '../src/storage/queue/index.ts';
import { createSecretBox, systemClock } from '../src/support/index.ts';
import { createLocalTracing } from '../src/telemetry/index.ts';
import {
  createAuthenticationGuard,
  createKeyAuthenticator,
  hashApiKeySecret,
  type KeyAuthenticator,
} from '../src/tenancy/index.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/*
 * The routes are registered on a small Fastify app built here with the platform's own
 * authentication and error handling, over the test app's database; the test app itself creates
 * organisations and keys through its admin API. This keeps the test independent of how createPlatform
 * wires these routes, and lets the alert worker share the secret box that sealed the webhook.
 */
let testApp: TestApp;
let plansApp: FastifyInstance;
let authenticator: KeyAuthenticator;
const secretBox = createSecretBox(randomBytes(32));
const limitsChanges: OrganizationLimitsChange[] = [];
const announcedHashes: string[] = [];

beforeAll(async () => {
  testApp = await startTestApp();
  await seedPlans(testApp.database, {});
  const eventBus = createMemoryEventBus();
  authenticator = createKeyAuthenticator({
    database: testApp.database,
    eventBus,
    clock: systemClock,
    maxEntries: 1000,
    pollIntervalMs: 60_000,
  });
  await authenticator.start();
  const authenticationGuard = createAuthenticationGuard({
    keyValueStore: testApp.platform.keyValueStore,
    clock: systemClock,
    limits: () => ({ perAddress: 30, perKeyPrefix: 10 }),
  });
  plansApp = Fastify();
  plansApp.setErrorHandler(async (error, request, reply) =>
    sendError(request, reply, toPlatformError(error, 1024 * 1024)),
  );
  await plansApp.register(async (authenticated) => {
    authenticated.addHook('onRequest', async (request) => {
      await authenticate(request, {
        authenticator,
        authenticationGuard,
        signIn: testApp.platform.signIn,
        config: testApp.platform.config,
      });
    });
    registerPlanAndBudgetRoutes(
      authenticated,
      createPlanAndBudgetServices({
        database: testApp.database,
        clock: systemClock,
        audit: testApp.platform.audit,
        secretBox,
        authenticator: {
          async announceChange(hashes) {
            announcedHashes.push(...hashes);
            await authenticator.announceChange(hashes);
          },
        },
        webhookUrls: { allowInsecureLocalhost: true },
        async onOrganizationLimitsChanged(change) {
          limitsChanges.push(change);
        },
      }),
    );
  });
  plansApp.addHook('onClose', async () => {
    await authenticator.close();
    await eventBus.close();
  });
});

afterAll(async () => {
  await plansApp?.close();
  await testApp?.close();
});

const as = (secret: string) => ({ authorization: `Bearer ${secret}` });

async function call(
  method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  secret: string,
  payload?: unknown,
) {
  const response = await plansApp.inject({
    method,
    url,
    headers: as(secret),
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return { status: response.statusCode, body: response.json() };
}

async function expectBadField(
  method: 'PUT' | 'POST' | 'PATCH',
  url: string,
  cases: Array<[unknown, string]>,
  secret = testApp.adminKey,
) {
  for (const [payload, param] of cases) {
    const response = await call(method, url, secret, payload);
    expect(response.status, JSON.stringify(payload)).toBe(400);
    expect(response.body.error.param, JSON.stringify(payload)).toBe(param);
  }
}

describe('plans', () => {
  it('lists the seeded tiers to administrators only', async () => {
    const listed = await call('GET', '/v1/admin/plans', testApp.adminKey);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((plan: { id: string }) => plan.id)).toEqual([
      'free',
      'basic',
      'premium',
      'enterprise',
    ]);
    expect(listed.body.data[1]).toMatchObject({
      object: 'plan',
      name: 'Basic',
      source: 'built-in',
      monthly_price_usd: '49',
      monthly_request_quota: 10_000,
      requests_per_minute: 60,
      monthly_budget_usd: '49',
    });
    expect(listed.body.data[1].allowed_models).toContain('gpt-4-class');
    const admin = await createTenant(testApp, { name: 'plan readers', role: 'admin' });
    expect((await call('GET', '/v1/admin/plans', admin.secret)).status).toBe(200);
    const member = await createTenant(testApp, { name: 'members' });
    expect((await call('GET', '/v1/admin/plans', member.secret)).status).toBe(403);
  });

  it('creates, updates and deletes plans (platform admin only)', async () => {
    const created = await call('PUT', '/v1/admin/plans/team', testApp.adminKey, {
      name: 'Team',
      rank: 2,
      monthly_price_usd: 99,
      monthly_request_quota: 30_000,
      allowed_models: ['sim/*', 'gpt-4-class'],
      requests_per_minute: 120,
      monthly_budget_usd: '99.5',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: 'team',
      source: 'api',
      monthly_budget_usd: '99.5',
      tokens_per_minute: null,
    });
    const updated = await call('PUT', '/v1/admin/plans/team', testApp.adminKey, {
      requests_per_minute: null,
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      name: 'Team',
      requests_per_minute: null,
      monthly_request_quota: 30_000,
    });
    expect((await call('GET', '/v1/admin/plans/team', testApp.adminKey)).body.id).toBe('team');

    const admin = await createTenant(testApp, { name: 'plan writers', role: 'admin' });
    expect((await call('PUT', '/v1/admin/plans/team', admin.secret, { rank: 9 })).status).toBe(403);

    const tenant = await createTenant(testApp, { name: 'on team' });
    await call('PUT', `/v1/admin/organizations/${tenant.organizationId}/plan`, testApp.adminKey, {
      plan: 'team',
    });
    const inUse = await call('DELETE', '/v1/admin/plans/team', testApp.adminKey);
    expect(inUse.status).toBe(409);
    expect(inUse.body.error).toMatchObject({ code: 'PLAN_IN_USE', param: 'id' });
    const builtIn = await call('DELETE', '/v1/admin/plans/free', testApp.adminKey);
    expect(builtIn.status).toBe(400);
    expect(builtIn.body.error.param).toBe('id');
    expect((await call('DELETE', '/v1/admin/plans/ghost', testApp.adminKey)).status).toBe(404);
    await call('PUT', `/v1/admin/organizations/${tenant.organizationId}/plan`, testApp.adminKey, {
      plan: null,
    });
    expect((await call('DELETE', '/v1/admin/plans/team', testApp.adminKey)).body).toMatchObject({
      deleted: true,
    });
  });

  it('refuses malformed plans, naming the field', async () => {
    await expectBadField('PUT', '/v1/admin/plans/bad', [
      [{ monthly_budget_usd: -10 }, 'monthly_budget_usd'],
      [{ monthly_budget_usd: 0 }, 'monthly_budget_usd'],
      [{ monthly_budget_usd: '1e12' }, 'monthly_budget_usd'],
      [{ monthly_budget_usd: 5_000_000_000 }, 'monthly_budget_usd'],
      [{ monthly_request_quota: -1 }, 'monthly_request_quota'],
      [{ requests_per_minute: 0 }, 'requests_per_minute'],
      [{ tokens_per_minute: 2.5 }, 'tokens_per_minute'],
      [{ concurrent_requests: 1e10 }, 'concurrent_requests'],
      [{ allowed_models: ['gpt 4'] }, 'allowed_models[0]'],
      [{ monthly_price_usd: '9.999' }, 'monthly_price_usd'],
      [{ quota: 5 }, 'quota'],
    ]);
    const badId = await call('PUT', '/v1/admin/plans/Not%20A%20Plan', testApp.adminKey, {});
    expect(badId.status).toBe(400);
    expect(badId.body.error.param).toBe('planId');
  });
});

describe("an organisation's plan", () => {
  it('changes at once: the keys of the organisation are invalidated everywhere', async () => {
    const tenant = await createTenant(testApp, { name: 'upgrader', role: 'admin' });
    // Warm the key cache, as traffic would.
    expect(
      (await call('GET', `/v1/admin/organizations/${tenant.organizationId}/plan`, tenant.secret)).body.plan,
    ).toBeNull();
    const changed = await call(
      'PUT',
      `/v1/admin/organizations/${tenant.organizationId}/plan`,
      testApp.adminKey,
      {
        plan: 'premium',
      },
    );
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      id: tenant.organizationId,
      object: 'organization',
      plan_id: 'premium',
      plan: { id: 'premium', monthly_price_usd: '249' },
    });
    expect(announcedHashes).toContain(hashApiKeySecret(tenant.secret));
    expect(limitsChanges.at(-1)).toMatchObject({ organizationId: tenant.organizationId, reason: 'plan' });

    const viewed = await call('GET', `/v1/admin/organizations/${tenant.organizationId}/plan`, tenant.secret);
    expect(viewed.body).toMatchObject({
      object: 'organization.plan',
      plan: { id: 'premium' },
      monthly_requests_used: 0,
    });
    expect(viewed.body.quota_period.start).toMatch(/-01T00:00:00.000Z$/);
  });

  it('refuses unknown plans (400 naming plan) and non-platform admins', async () => {
    const tenant = await createTenant(testApp, { name: 'unknown plan', role: 'admin' });
    const url = `/v1/admin/organizations/${tenant.organizationId}/plan`;
    const unknown = await call('PUT', url, testApp.adminKey, { plan: 'platinum' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.param).toBe('plan');
    expect(unknown.body.error.hint).toContain('free, basic, premium, enterprise');
    await expectBadField('PUT', url, [
      [{}, 'plan'],
      [{ plan: 7 }, 'plan'],
      [{ plan: 'free', effective: 'now' }, 'effective'],
    ]);
    expect((await call('PUT', url, tenant.secret, { plan: 'enterprise' })).status).toBe(403);
    expect(
      (await call('PUT', '/v1/admin/organizations/org_missing/plan', testApp.adminKey, { plan: 'free' }))
        .status,
    ).toBe(404);
  });
});

describe('rate limits', () => {
  it('sets organisation limits (platform admin) over the plan defaults, and clears them with null', async () => {
    const tenant = await createTenant(testApp, { name: 'limited', role: 'admin' });
    await call('PUT', `/v1/admin/organizations/${tenant.organizationId}/plan`, testApp.adminKey, {
      plan: 'basic',
    });
    const url = `/v1/admin/organizations/${tenant.organizationId}/rate-limits`;
    const set = await call('PUT', url, testApp.adminKey, {
      requests_per_minute: 1000,
      concurrent_requests: 3,
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      plan_id: 'basic',
      requests_per_minute: 1000,
      tokens_per_minute: null,
      concurrent_requests: 3,
      plan_defaults: { requests_per_minute: 60, tokens_per_minute: 200_000, concurrent_requests: 10 },
      effective: { requests_per_minute: 1000, tokens_per_minute: 200_000, concurrent_requests: 3 },
    });
    expect(limitsChanges.at(-1)).toMatchObject({
      reason: 'rate-limits',
      organizationId: tenant.organizationId,
    });
    const cleared = await call('PUT', url, testApp.adminKey, { requests_per_minute: null });
    expect(cleared.body).toMatchObject({ requests_per_minute: null, concurrent_requests: 3 });
    expect(cleared.body.effective.requests_per_minute).toBe(60);
    expect((await call('GET', url, tenant.secret)).body.concurrent_requests).toBe(3);
    expect((await call('PUT', url, tenant.secret, { requests_per_minute: 1e6 })).status).toBe(403);
  });

  it('lets an organisation admin limit its own keys', async () => {
    const tenant = await createTenant(testApp, { name: 'key limits', role: 'admin' });
    const url = `/v1/admin/organizations/${tenant.organizationId}/keys/${tenant.keyId}/rate-limits`;
    const set = await call('PUT', url, tenant.secret, { tokens_per_minute: 5000 });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      key_id: tenant.keyId,
      tokens_per_minute: 5000,
      requests_per_minute: null,
    });
    expect((await call('GET', url, tenant.secret)).body.tokens_per_minute).toBe(5000);
    const other = await createTenant(testApp, { name: 'not theirs' });
    const foreign = await call(
      'PUT',
      `/v1/admin/organizations/${tenant.organizationId}/keys/${other.keyId}/rate-limits`,
      tenant.secret,
      { tokens_per_minute: 1 },
    );
    expect(foreign.status).toBe(404);
  });

  it('refuses malformed limits, naming the field', async () => {
    const tenant = await createTenant(testApp, { name: 'malformed limits' });
    await expectBadField('PUT', `/v1/admin/organizations/${tenant.organizationId}/rate-limits`, [
      [{ requests_per_minute: 0 }, 'requests_per_minute'],
      [{ requests_per_minute: -5 }, 'requests_per_minute'],
      [{ tokens_per_minute: 1.5 }, 'tokens_per_minute'],
      [{ tokens_per_minute: 'many' }, 'tokens_per_minute'],
      [{ concurrent_requests: 1_000_000_001 }, 'concurrent_requests'],
      [{ requests_per_hour: 5 }, 'requests_per_hour'],
    ]);
  });
});

describe('budgets', () => {
  it('creates, reads, changes and deletes budgets with their current period and spend', async () => {
    const tenant = await createTenant(testApp, { name: 'budgeted', role: 'admin' });
    const base = `/v1/admin/organizations/${tenant.organizationId}/budgets`;
    const organizationBudget = await call('POST', base, testApp.adminKey, {
      scope: 'organization',
      limit_usd: '250.5',
      period: 'month',
    });
    expect(organizationBudget.status).toBe(201);
    expect(organizationBudget.body).toMatchObject({
      object: 'budget',
      scope: 'organization',
      subject: tenant.organizationId,
      limit_usd: '250.5',
      period: 'month',
      alert_thresholds: [50, 80, 100],
      spent_usd: '0',
      reserved_usd: '0',
    });
    expect(organizationBudget.body.current_period.key).toMatch(/^\d{4}-\d{2}$/);
    expect(organizationBudget.body.current_period.resets_at).toMatch(/-01T00:00:00.000Z$/);

    const keyBudget = await call('POST', base, tenant.secret, {
      scope: 'api_key',
      subject: tenant.keyId,
      limit_usd: 5,
      period: 'day',
      alert_thresholds: [90, 10],
    });
    expect(keyBudget.status).toBe(201);
    expect(keyBudget.body.alert_thresholds).toEqual([10, 90]);
    const userBudget = await call('POST', base, tenant.secret, {
      scope: 'end_user',
      subject: 'user-7',
      limit_usd: 0.25,
      period: 'total',
    });
    expect(userBudget.body.current_period).toEqual({
      key: 'total',
      start: '1970-01-01T00:00:00.000Z',
      resets_at: null,
    });

    const listed = await call('GET', `${base}?limit=2`, tenant.secret);
    expect(listed.body).toMatchObject({ object: 'list', has_more: true });
    expect((await call('GET', `${base}?scope=end_user`, tenant.secret)).body.data).toHaveLength(1);

    await testApp.database.query('UPDATE budgets SET spent_usd = 1.5 WHERE id = $1', [keyBudget.body.id]);
    const read = await call('GET', `${base}/${keyBudget.body.id}`, tenant.secret);
    expect(read.body.spent_usd).toBe('1.5');
    const patched = await call('PATCH', `${base}/${keyBudget.body.id}`, tenant.secret, { limit_usd: '7.25' });
    expect(patched.body).toMatchObject({ limit_usd: '7.25', spent_usd: '1.5', period: 'day' });
    const repriod = await call('PATCH', `${base}/${keyBudget.body.id}`, tenant.secret, { period: 'month' });
    expect(repriod.body).toMatchObject({ period: 'month', spent_usd: '0' });

    const duplicate = await call('POST', base, tenant.secret, {
      scope: 'end_user',
      subject: 'user-7',
      limit_usd: 1,
      period: 'day',
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error).toMatchObject({ code: 'BUDGET_ALREADY_EXISTS', param: 'subject' });

    expect((await call('DELETE', `${base}/${userBudget.body.id}`, tenant.secret)).body).toMatchObject({
      deleted: true,
    });
    expect((await call('GET', `${base}/${userBudget.body.id}`, tenant.secret)).status).toBe(404);
    expect((await call('DELETE', `${base}/${userBudget.body.id}`, tenant.secret)).status).toBe(404);

    const stranger = await createTenant(testApp, { name: 'stranger', role: 'admin' });
    expect((await call('GET', base, stranger.secret)).status).toBe(403);
  });

  it('refuses negative, zero, absurd and non-numeric budgets and wrong scopes or subjects, naming the field', async () => {
    const tenant = await createTenant(testApp, { name: 'bad budgets' });
    const other = await createTenant(testApp, { name: 'other budgets' });
    const base = `/v1/admin/organizations/${tenant.organizationId}/budgets`;
    const valid = { scope: 'end_user', subject: 'u', limit_usd: 10, period: 'day' };
    await expectBadField('POST', base, [
      [{ ...valid, limit_usd: -1 }, 'limit_usd'],
      [{ ...valid, limit_usd: 0 }, 'limit_usd'],
      [{ ...valid, limit_usd: '0.000' }, 'limit_usd'],
      [{ ...valid, limit_usd: 1e12 }, 'limit_usd'],
      [{ ...valid, limit_usd: '1000000000.5' }, 'limit_usd'],
      [{ ...valid, limit_usd: 'ten dollars' }, 'limit_usd'],
      [{ ...valid, limit_usd: '1.0000000001' }, 'limit_usd'],
      [{ ...valid, limit_usd: true }, 'limit_usd'],
      [{ ...valid, limit_usd: undefined }, 'limit_usd'],
      [{ ...valid, scope: 'department' }, 'scope'],
      [{ ...valid, scope: 'team', subject: 'team_missing' }, 'subject'],
      [{ ...valid, period: 'week' }, 'period'],
      [{ ...valid, subject: 'x'.repeat(257) }, 'subject'],
      [{ ...valid, subject: '' }, 'subject'],
      [{ ...valid, scope: 'api_key', subject: other.keyId }, 'subject'],
      [{ ...valid, scope: 'api_key', subject: undefined }, 'subject'],
      [{ ...valid, scope: 'organization', subject: other.organizationId }, 'subject'],
      [{ ...valid, alert_thresholds: [0] }, 'alert_thresholds[0]'],
      [{ ...valid, alert_thresholds: [50, 101] }, 'alert_thresholds[1]'],
      [{ ...valid, alert_thresholds: [50, 50] }, 'alert_thresholds'],
      [{ ...valid, alert_thresholds: [] }, 'alert_thresholds'],
      [{ ...valid, alert_thresholds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }, 'alert_thresholds'],
      [{ ...valid, alert_thresholds: [12.5] }, 'alert_thresholds[0]'],
      [{ ...valid, owner: 'me' }, 'owner'],
    ]);
    const created = await call('POST', base, testApp.adminKey, valid);
    await expectBadField('PATCH', `${base}/${created.body.id}`, [
      [{ limit_usd: -3 }, 'limit_usd'],
      [{ scope: 'organization' }, 'scope'],
      [{ subject: 'someone' }, 'subject'],
      [{ period: 'year' }, 'period'],
    ]);
    const empty = await call('PATCH', `${base}/${created.body.id}`, testApp.adminKey, {});
    expect(empty.status).toBe(400);
  });

  it("keeps an organisation admin within its plan's spend cap and says which upgrade allows more", async () => {
    const tenant = await createTenant(testApp, { name: 'capped', role: 'admin' });
    await call('PUT', `/v1/admin/organizations/${tenant.organizationId}/plan`, testApp.adminKey, {
      plan: 'free',
    });
    const base = `/v1/admin/organizations/${tenant.organizationId}/budgets`;
    const tooMuch = await call('POST', base, tenant.secret, {
      scope: 'organization',
      limit_usd: 100,
      period: 'month',
    });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.param).toBe('limit_usd');
    expect(tooMuch.body.error.message).toContain('Free plan');
    expect(tooMuch.body.error.hint).toContain('Upgrade to the Premium plan ($249/month)');
    const daily = await call('POST', base, tenant.secret, {
      scope: 'organization',
      limit_usd: 0.5,
      period: 'day',
    });
    expect(daily.body.error.param).toBe('period');
    const within = await call('POST', base, tenant.secret, {
      scope: 'organization',
      limit_usd: 0.5,
      period: 'month',
    });
    expect(within.status).toBe(201);
    // The platform admin may set any amount.
    const raised = await call('PATCH', `${base}/${within.body.id}`, testApp.adminKey, { limit_usd: 500 });
    expect(raised.status).toBe(200);
    expect(
      (await call('PATCH', `${base}/${within.body.id}`, tenant.secret, { alert_thresholds: [75] })).status,
    ).toBe(200);
  });
});

describe('webhooks', () => {
  it('stores a webhook with a secret shown once, and refuses unsafe URLs naming url', async () => {
    const tenant = await createTenant(testApp, { name: 'hooked', role: 'admin' });
    const url = `/v1/admin/organizations/${tenant.organizationId}/webhook`;
    await expectBadField(
      'PUT',
      url,
      [
        [{ url: 'http://hooks.example.com/kimi' }, 'url'],
        [{ url: 'https://169.254.169.254/latest' }, 'url'],
        [{ url: 'https://10.0.0.8/hook' }, 'url'],
        [{ url: 'not a url' }, 'url'],
        [{ url: 'https://hooks.example.com', secret: 'short' }, 'secret'],
        [{ url: 'https://hooks.example.com', events: [] }, 'events'],
      ],
      tenant.secret,
    );
    const created = await call('PUT', url, tenant.secret, { url: 'https://hooks.example.com/kimi' });
    expect(created.status).toBe(200);
    expect(created.body.secret).toMatch(/^whsec_[0-9A-Za-z]{32}$/);
    expect(created.body).toMatchObject({ object: 'webhook', url: 'https://hooks.example.com/kimi' });
    const read = await call('GET', url, tenant.secret);
    expect(read.body.secret).toBeUndefined();
    expect(JSON.stringify(read.body)).not.toContain(created.body.secret);
    const stored = await testApp.database.query<{ sealed_secret: string }>(
      'SELECT sealed_secret FROM organization_webhooks WHERE organization_id = $1',
      [tenant.organizationId],
    );
    expect(stored.rows[0]?.sealed_secret).not.toContain(created.body.secret);
    const own = await call('PUT', url, tenant.secret, {
      url: 'https://hooks.example.com/v2',
      secret: 'my-own-secret-0123456789',
    });
    expect(own.body.secret).toBeUndefined();
    expect((await call('DELETE', url, tenant.secret)).body).toMatchObject({ deleted: true });
    expect((await call('GET', url, tenant.secret)).status).toBe(404);
    expect((await call('DELETE', url, tenant.secret)).status).toBe(404);
  });
});

describe('budget alerts', () => {
  let receiver: Server;
  let receiverUrl: string;
  const received: Array<{
    body: string;
    signature: string | undefined;
    valid: boolean;
    traceparent: string | undefined;
  }> = [];
  let failuresLeft = 1;
  const webhookSecret = 'whsec_receiver_secret_0123456789';
  const tracing = createLocalTracing('test');

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => {
        body += chunk;
      });
      request.on('end', () => {
        const signature = request.headers[webhookSignatureHeader] as string | undefined;
        const valid = verifyWebhookSignature({
          secret: webhookSecret,
          body,
          header: signature,
          nowSeconds: Math.floor(Date.now() / 1000),
        });
        received.push({
          body,
          signature,
          valid,
          traceparent: request.headers.traceparent as string | undefined,
        });
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          response.writeHead(500).end('try later');
          return;
        }
        response.writeHead(valid ? 204 : 401).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/kimi-events`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('delivers each threshold once, signed, retrying after a receiver failure, and lists the alerts', async () => {
    const tenant = await createTenant(testApp, { name: 'alerted', role: 'admin' });
    const webhook = await call(
      'PUT',
      `/v1/admin/organizations/${tenant.organizationId}/webhook`,
      tenant.secret,
      {
        url: receiverUrl,
        secret: webhookSecret,
      },
    );
    expect(webhook.status).toBe(200);
    const budget = await call(
      'POST',
      `/v1/admin/organizations/${tenant.organizationId}/budgets`,
      tenant.secret,
      {
        scope: 'end_user',
        subject: 'heavy-user',
        limit_usd: 10,
        period: 'month',
      },
    );
    const periodKey: string = budget.body.current_period.key;

    const queue: JobQueue = createMemoryJobQueue();
    const delivery: AlertDelivery = await startAlertDelivery({
      queue,
      database: testApp.database,
      secretBox,
      fetch: globalThis.fetch,
      clock: systemClock,
      urlPolicy: { allowInsecureLocalhost: true },
      backoffMs: 50,
      sweepIntervalMs: 60_000,
      tracing,
    });
    const levels = (spent: number) => [
      {
        budgetId: budget.body.id,
        periodKey,
        spentNanoUsd: spent * 1e9,
        reservedNanoUsd: 0,
        limitNanoUsd: 10e9,
      },
    ];
    // Two settles past 50% (as two replicas would see): one alert.
    const fired = await Promise.all([
      checkBudgetAlerts({
        database: testApp.database,
        queue,
        levels: levels(5.5),
        retry: { attempts: 5, backoffMs: 50 },
      }),
      checkBudgetAlerts({
        database: testApp.database,
        queue,
        levels: levels(6),
        retry: { attempts: 5, backoffMs: 50 },
      }),
    ]);
    expect(fired.flat()).toHaveLength(1);

    const alertsUrl = `/v1/admin/organizations/${tenant.organizationId}/budget-alerts`;
    await expect
      .poll(async () => (await call('GET', alertsUrl, tenant.secret)).body.data[0]?.delivered_at, {
        timeout: 5000,
      })
      .toBeTruthy();
    expect(received).toHaveLength(2);
    expect(received.every((delivery) => delivery.valid)).toBe(true);
    expect(received[0]?.body).toBe(received[1]?.body);
    const event = JSON.parse(received[1]!.body);
    expect(event).toMatchObject({
      type: 'budget.threshold_reached',
      organization_id: tenant.organizationId,
      budget: {
        id: budget.body.id,
        scope: 'end_user',
        subject: 'heavy-user',
        period: 'month',
        limit_usd: '10',
      },
      threshold: 50,
      spent_usd: '5.5',
      period_start: budget.body.current_period.start,
    });
    expect(event.id).toMatch(/^evt_/);
    const [alert] = (await call('GET', alertsUrl, tenant.secret)).body.data;
    expect(alert).toMatchObject({
      id: event.id,
      budget_id: budget.body.id,
      threshold: 50,
      delivery_attempts: 2,
      last_delivery_error: null,
    });

    // Past 80% and 100% at once: two more alerts, each delivered once; nothing is repeated. The
    // settling request's trace context rides on the jobs, and the webhook receives it.
    const settlingTrace = '0123456789abcdef0123456789abcdef';
    const traceContext = () => ({ traceparent: `00-${settlingTrace}-0123456789abcdef-01` });
    await checkBudgetAlerts({ database: testApp.database, queue, levels: levels(10), traceContext });
    await checkBudgetAlerts({ database: testApp.database, queue, levels: levels(10.5), traceContext });
    await expect.poll(() => received.length, { timeout: 5000 }).toBe(4);
    for (const delivery of received.slice(2)) {
      expect(delivery.traceparent).toMatch(new RegExp(`^00-${settlingTrace}-[0-9a-f]{16}-01$`));
      expect(delivery.traceparent).not.toContain('0123456789abcdef-01');
    }
    expect(
      received
        .slice(2)
        .map((delivery) => JSON.parse(delivery.body).threshold)
        .sort(),
    ).toEqual([100, 80]);
    await expect
      .poll(
        async () =>
          (await call('GET', alertsUrl, tenant.secret)).body.data.every(
            (entry: { delivered_at: string | null }) => entry.delivered_at,
          ),
        {
          timeout: 5000,
        },
      )
      .toBe(true);
    expect(await delivery.sweep()).toBe(0);
    expect(received).toHaveLength(4);
    await delivery.close();
    await queue.close();
    await tracing.close();
  });

  it('records why an alert could not be delivered when the organisation has no webhook', async () => {
    const tenant = await createTenant(testApp, { name: 'no webhook', role: 'admin' });
    const budget = await call(
      'POST',
      `/v1/admin/organizations/${tenant.organizationId}/budgets`,
      tenant.secret,
      {
        scope: 'end_user',
        subject: 'someone',
        limit_usd: 1,
        period: 'day',
      },
    );
    const queue = createMemoryJobQueue();
    const delivery = await startAlertDelivery({
      queue,
      database: testApp.database,
      secretBox,
      fetch: globalThis.fetch,
      clock: systemClock,
      urlPolicy: { allowInsecureLocalhost: true },
      sweepIntervalMs: 60_000,
    });
    await checkBudgetAlerts({
      database: testApp.database,
      queue,
      levels: [
        {
          budgetId: budget.body.id,
          periodKey: budget.body.current_period.key,
          spentNanoUsd: 1e9,
          reservedNanoUsd: 0,
          limitNanoUsd: 1e9,
        },
      ],
    });
    const alertsUrl = `/v1/admin/organizations/${tenant.organizationId}/budget-alerts?budget_id=${budget.body.id}`;
    await expect
      .poll(
        async () =>
          (await call('GET', alertsUrl, tenant.secret)).body.data.map(
            (entry: { last_delivery_error: string }) => entry.last_delivery_error,
          ),
        {
          timeout: 5000,
        },
      )
      .toEqual(['no webhook is configured', 'no webhook is configured', 'no webhook is configured']);
    await delivery.close();
    await queue.close();
  });
});
