/**
 * No secret ever reaches the logs: a run that creates and rotates API keys, stores a provider key,
 * saves an SSO client secret, signs a person in (session, refresh and CSRF tokens), refreshes,
 * signs out, calls with a workload token and accepts an invitation — with every log line captured
 * at the most verbose level — and then every one of those secrets is searched for in the text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type OpenIdTestProvider,
  startOpenIdTestProvider,
} from '../src/identity/sso/openid-test-provider.fixture.ts';
import { createLocalTracing } from '../src/telemetry/index.ts';
import { bearer } from './support/audit-test-support.ts';
import { probeProviderConfig } from './support/route-probes.ts';
import { Browser } from './support/sign-in-browser.ts';
import { startTestApp, type TestApp } from './support/test-app.ts';

const publicUrl = 'http://127.0.0.1:8080';
const client = {
  clientId: 'kimi-platform',
  clientSecret: 'sso-client-secret-must-not-be-logged',
  redirectUri: `${publicUrl}/v1/auth/sso/callback`,
};
const workloadClient = {
  clientId: 'logging-service',
  clientSecret: 'workload-client-secret-must-not-be-logged',
  redirectUri: 'http://127.0.0.1:9/unused',
};

const lines: string[] = [];
const tracing = createLocalTracing('test');
const secrets = new Map<string, string>();
let provider: OpenIdTestProvider;
let testApp: TestApp;

function remember(what: string, value: string | undefined | null): void {
  expect(value, what).toBeTruthy();
  secrets.set(what, String(value));
}

beforeAll(async () => {
  provider = await startOpenIdTestProvider({
    clients: [client, workloadClient],
    accounts: [{ id: 'alice', email: 'alice@example.com', name: 'Alice', groups: ['engineers'] }],
    workloadClaims: { [workloadClient.clientId]: { groups: ['engineers'] } },
  });
  testApp = await startTestApp({
    logLevel: 'trace',
    logSink: { write: (line) => lines.push(line) },
    tracing,
    allowInsecureWebhooks: true,
    config: {
      providers: probeProviderConfig,
      identity: { public_url: publicUrl },
      sso: { allow_loopback_issuers: true },
      sessions: { refresh_reuse_grace_ms: 0 },
    },
  });
});

afterAll(async () => {
  await testApp?.close();
  await provider?.close();
  await tracing.close();
});

describe('secrets in the logs', () => {
  it('never appear in any log line, on success or refusal', async () => {
    const call = async (method: string, url: string, secret: string, payload?: Record<string, unknown>) =>
      testApp.app.inject({
        method: method as 'GET',
        url,
        headers: bearer(secret),
        ...(payload ? { payload } : {}),
      });

    const organization = await call('POST', '/v1/admin/organizations', testApp.adminKey, { name: 'logged' });
    const organizationId = organization.json().id as string;
    const base = `/v1/admin/organizations/${organizationId}`;
    const adminKey = await call('POST', `${base}/keys`, testApp.adminKey, { name: 'admin', role: 'admin' });
    remember('admin API key', adminKey.json().secret);
    const admin = adminKey.json().secret as string;
    const developerKey = await call('POST', `${base}/keys`, admin, { name: 'developer', role: 'developer' });
    remember('developer API key', developerKey.json().secret);
    const rotated = await call('POST', `${base}/keys/${developerKey.json().id}/rotate`, admin, {
      grace_period_seconds: 0,
    });
    expect(rotated.statusCode, rotated.body).toBe(200);
    remember('rotated API key', rotated.json().secret);
    // A refused old secret is logged as a refusal, never with the secret.
    expect((await call('GET', '/v1/models', developerKey.json().secret)).statusCode).toBe(401);
    expect((await call('GET', '/v1/models', `sk-kimi-${'z'.repeat(40)}`)).statusCode).toBe(401);

    const providerKey = 'sk-provider-key-must-not-be-logged-0123456789';
    remember('provider key', providerKey);
    const stored = await call('PUT', `${base}/provider-keys/localllm`, admin, { api_key: providerKey });
    expect(stored.statusCode, stored.body).toBe(200);

    remember('SSO client secret', client.clientSecret);
    const connection = await call('PUT', `${base}/sso`, admin, {
      issuer: provider.issuer,
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uri: client.redirectUri,
      scopes: ['openid', 'email', 'profile', 'groups'],
      role_mapping: { engineers: 'admin' },
      bearer_audiences: ['api://kimi-platform'],
    });
    expect(connection.statusCode, connection.body).toBe(201);

    const browser = new Browser(testApp);
    const callbackPath = await browser.throughProvider(provider, organizationId, 'alice', '/dashboard');
    const callback = new URL(callbackPath, publicUrl);
    remember('authorization code', callback.searchParams.get('code'));
    remember('state', callback.searchParams.get('state'));
    remember('sign-in binding', browser.jar.get('kimi-sign-in'));
    expect((await browser.request('GET', callbackPath)).statusCode).toBe(302);
    remember('session access token', browser.jar.get('kimi-session'));
    remember('refresh token', browser.jar.get('kimi-refresh'));
    remember('CSRF token', browser.jar.get('kimi-csrf'));
    const refused = await browser.request('POST', `${base}/keys`, { payload: { name: 'x', role: 'viewer' } });
    expect(refused.statusCode).toBe(403);
    const created = await browser.request('POST', `${base}/keys`, {
      payload: { name: 'from the browser', role: 'viewer' },
      headers: { 'x-csrf-token': browser.jar.get('kimi-csrf') ?? '' },
    });
    expect(created.statusCode, created.body).toBe(201);
    remember('API key made in a session', created.json().secret);
    const stale = browser.jar.copy();
    expect((await browser.request('POST', '/v1/auth/refresh')).statusCode).toBe(200);
    remember('rotated session access token', browser.jar.get('kimi-session'));
    remember('rotated refresh token', browser.jar.get('kimi-refresh'));
    remember('rotated CSRF token', browser.jar.get('kimi-csrf'));
    expect((await new Browser(testApp, stale).request('POST', '/v1/auth/refresh')).statusCode).toBe(401);
    expect((await browser.request('POST', '/v1/auth/sign-out')).statusCode).toBe(200);

    const workload = await provider.workloadToken(workloadClient, 'api://kimi-platform');
    remember('workload token', workload);
    expect((await call('GET', '/v1/me', workload)).statusCode).toBe(200);
    const foreign = await provider.workloadToken(workloadClient, 'api://somewhere-else');
    remember('refused workload token', foreign);
    expect((await call('GET', '/v1/me', foreign)).statusCode).toBe(401);

    const invitation = await call('POST', `${base}/invitations`, admin, {
      email: 'bob@example.com',
      role: 'viewer',
    });
    expect(invitation.statusCode, invitation.body).toBe(201);
    remember('invitation token', invitation.json().token);
    const accepted = await testApp.app.inject({
      method: 'POST',
      url: '/v1/invitations/accept',
      payload: { token: invitation.json().token },
    });
    expect(accepted.statusCode, accepted.body).toBe(201);
    remember('personal API key of the invitation', accepted.json().api_key.secret);

    const webhookSecret = 'whsec-webhook-signing-secret-must-not-be-logged';
    remember('webhook signing secret', webhookSecret);
    const webhook = await call('PUT', `${base}/webhook`, admin, {
      url: 'http://127.0.0.1:9/budget-alerts',
      secret: webhookSecret,
    });
    expect(webhook.statusCode, webhook.body).toBeLessThan(300);
    const generated = await call('PUT', `${base}/webhook`, admin, {
      url: 'http://127.0.0.1:9/budget-alerts',
    });
    remember('generated webhook secret', generated.json().secret);

    // Whatever a line carries, credential fields and headers are redacted by path.
    testApp.platform.logger.info(
      {
        client_secret: 'logged-client-secret-field-0001',
        webhook: { secret: 'logged-nested-webhook-secret-0002', signing_secret: 'logged-signing-0003' },
        request: {
          headers: { authorization: 'Bearer logged-header-token-0004', cookie: 'kimi-session=0005' },
        },
        provider: { api_key: 'logged-provider-api-key-0006' },
      },
      'a line with credentials in it',
    );
    for (const [what, value] of [
      ['client_secret field', 'logged-client-secret-field-0001'],
      ['nested webhook secret', 'logged-nested-webhook-secret-0002'],
      ['signing secret field', 'logged-signing-0003'],
      ['authorization header', 'logged-header-token-0004'],
      ['cookie header', 'kimi-session=0005'],
      ['nested api_key', 'logged-provider-api-key-0006'],
    ] as const)
      remember(what, value);

    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(20);
    expect(log).toContain('request completed');
    expect(log).toContain('a line with credentials in it');
    const leaked = [...secrets].filter(([, secret]) => log.includes(secret)).map(([what]) => what);
    expect(leaked).toEqual([]);
    // Every request line carries the trace it belongs to.
    const requestLines = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.msg === 'request completed');
    expect(requestLines.length).toBeGreaterThan(10);
    for (const line of requestLines) {
      expect(line.trace_id).toMatch(/^[0-9a-f]{32}$/);
      expect(line.span_id).toMatch(/^[0-9a-f]{16}$/);
    }
  });
});
