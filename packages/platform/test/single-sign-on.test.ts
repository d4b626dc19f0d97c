/**
 * Single sign-on and browser sessions over HTTP, end to end against a real OpenID provider
 * (panva's oidc-provider on a loopback port), on PGlite and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type OpenIdTestProvider,
  startOpenIdTestProvider,
} from '../src/identity/sso/openid-test-provider.fixture.ts';
import { offsetClock, recordingFetch } from '../src/identity/sso/sso-test-doubles.fixture.ts';
import { auditBackends, bearer, listAudit } from './support/audit-test-support.ts';
import { Browser } from './support/sign-in-browser.ts';
import type { TestApp } from './support/test-app.ts';

const publicUrl = 'http://127.0.0.1:8080';
const redirectUri = `${publicUrl}/v1/auth/sso/callback`;
const client = { clientId: 'kimi-platform', clientSecret: 'client-secret-0123456789', redirectUri };
const otherClient = { clientId: 'other-app', clientSecret: 'other-secret-0123456789', redirectUri };
const workloadClient = {
  clientId: 'billing-service',
  clientSecret: 'workload-secret-0123456789',
  redirectUri: 'http://127.0.0.1:9/unused',
};
const audience = 'api://kimi-platform';
const idTokenTtlSeconds = 120;
const names = { session: 'kimi-session', refresh: 'kimi-refresh', csrf: 'kimi-csrf', signIn: 'kimi-sign-in' };

function connectionBody(issuer: string, overrides: Record<string, unknown> = {}) {
  return {
    issuer,
    client_id: client.clientId,
    client_secret: client.clientSecret,
    redirect_uri: redirectUri,
    scopes: ['openid', 'email', 'profile', 'groups'],
    role_mapping: { engineers: 'developer', 'platform-admins': 'admin' },
    bearer_audiences: [audience],
    ...overrides,
  };
}

const backends = await auditBackends();

for (const backend of backends) {
  describe.runIf(backend.available)(`single sign-on over HTTP (${backend.name})`, () => {
    let provider: OpenIdTestProvider;
    let testApp: TestApp;
    let cleanup: () => Promise<void>;
    const network = recordingFetch();
    const clock = offsetClock();
    let organizationId: string;
    let adminSecret: string;

    const admin = (method: string, url: string, payload?: Record<string, unknown>) =>
      testApp.app.inject({
        method: method as 'GET',
        url,
        headers: bearer(adminSecret),
        ...(payload ? { payload } : {}),
      });

    async function createOrganization(name: string): Promise<{ id: string; secret: string }> {
      const organization = await testApp.app.inject({
        method: 'POST',
        url: '/v1/admin/organizations',
        headers: bearer(testApp.adminKey),
        payload: { name },
      });
      const id = organization.json<{ id: string }>().id;
      const key = await testApp.app.inject({
        method: 'POST',
        url: `/v1/admin/organizations/${id}/keys`,
        headers: bearer(testApp.adminKey),
        payload: { name: 'admin key', role: 'admin' },
      });
      expect(key.statusCode, key.body).toBe(201);
      return { id, secret: key.json<{ secret: string }>().secret };
    }

    beforeAll(async () => {
      provider = await startOpenIdTestProvider({
        clients: [client, otherClient, workloadClient],
        idTokenTtlSeconds,
        accounts: [
          { id: 'alice', email: 'alice@example.com', name: 'Alice Example', groups: ['engineers'] },
          {
            id: 'bob',
            email: 'bob@example.com',
            name: 'Bob Example',
            groups: ['engineers', 'platform-admins'],
          },
          { id: 'carol', email: 'carol@example.com', name: 'Carol Example', groups: ['marketing'] },
          { id: 'dave', email: 'dave@example.com', name: 'Dave Example', groups: ['engineers'] },
        ],
        workloadClaims: { [workloadClient.clientId]: { groups: ['engineers'] } },
      });
      const started = await backend.start({
        clock,
        identityProviderFetch: network.fetch,
        config: {
          identity: { public_url: publicUrl },
          sso: { allow_loopback_issuers: true },
          sessions: { refresh_reuse_grace_ms: 0 },
        },
      });
      testApp = started.testApp;
      cleanup = started.cleanup;
      const organization = await createOrganization('single sign-on');
      organizationId = organization.id;
      adminSecret = organization.secret;
      const saved = await admin(
        'PUT',
        `/v1/admin/organizations/${organizationId}/sso`,
        connectionBody(provider.issuer),
      );
      expect(saved.statusCode, saved.body).toBe(201);
    });

    afterAll(async () => {
      await cleanup?.();
      await provider?.close();
    });

    it('administers the connection with admin:sso, never showing the client secret', async () => {
      const read = await admin('GET', `/v1/admin/organizations/${organizationId}/sso`);
      expect(read.statusCode).toBe(200);
      expect(read.json()).toMatchObject({
        issuer: provider.issuer,
        client_id: client.clientId,
        client_secret_last_four: client.clientSecret.slice(-4),
        require_sso: false,
      });
      expect(read.body).not.toContain(client.clientSecret);
      const invalid = await admin('PUT', `/v1/admin/organizations/${organizationId}/sso`, {
        ...connectionBody(provider.issuer),
        scopes: ['profile'],
      });
      expect(invalid.statusCode).toBe(400);
      expect(invalid.json().error.param).toBe('scopes');
      const entries = await listAudit(testApp, adminSecret, { action: 'sso_connection.set' });
      expect(entries.data).toHaveLength(1);
      expect(JSON.stringify(entries.data)).not.toContain(client.clientSecret);
      expect(entries.data[0]?.after).toMatchObject({
        client_secret_last_four: '6789',
        client_secret_changed: true,
      });
    });

    it('signs a person in: start → provider → callback → /v1/me with the session cookie', async () => {
      const browser = new Browser(testApp);
      const authorizationUrl = await browser.start(organizationId, '/dashboard/usage');
      expect(authorizationUrl.startsWith(`${provider.issuer}/`)).toBe(true);
      expect(new URL(authorizationUrl).searchParams.get('code_challenge_method')).toBe('S256');
      expect(browser.jar.cookies.get(names.signIn)?.attributes).toMatch(/HttpOnly.*SameSite=Lax/);
      const callback = await provider.signIn(authorizationUrl, 'alice');
      const answer = await browser.request('GET', `${callback.pathname}${callback.search}`);
      expect(answer.statusCode, answer.body).toBe(302);
      expect(answer.headers.location).toBe('/dashboard/usage');
      const session = browser.jar.cookies.get(names.session);
      expect(session?.attributes).toContain('HttpOnly');
      expect(session?.attributes).toContain('SameSite=Strict');
      expect(session?.attributes).toContain('Path=/');
      // why not Secure: the public URL is plain http on a loopback address (local development).
      expect(session?.attributes).not.toContain('Secure');
      expect(browser.jar.cookies.get(names.refresh)?.attributes).toContain('Path=/v1/auth');
      expect(browser.jar.cookies.get(names.csrf)?.attributes).not.toContain('HttpOnly');
      expect(browser.jar.get(names.signIn)).toBeUndefined();

      const me = await browser.request('GET', '/v1/me');
      expect(me.statusCode, me.body).toBe(200);
      expect(me.json()).toMatchObject({
        organization_id: organizationId,
        role: 'developer',
        principal: 'session',
      });
      expect(me.json().user_id).toMatch(/\S/);
      const signedIn = await listAudit(testApp, adminSecret, { action: 'sign_in.succeeded' });
      expect(signedIn.data[0]?.after).toMatchObject({ email: 'alice@example.com', role: 'developer' });
      expect(
        (await listAudit(testApp, adminSecret, { action: 'session.started' })).data.length,
      ).toBeGreaterThan(0);
    });

    it('refuses a return path that leaves the platform (no open redirect)', async () => {
      const browser = new Browser(testApp);
      for (const returnTo of ['//evil.example', 'https://evil.example/', '/\\evil.example']) {
        const response = await browser.request(
          'GET',
          `/v1/auth/sso/${organizationId}/start?return_to=${encodeURIComponent(returnTo)}`,
        );
        expect(response.statusCode, returnTo).toBe(400);
        expect(response.json().error.code).toBe('SSO_RETURN_PATH_INVALID');
      }
    });

    it('maps groups to roles: the most privileged match, and refuses an unmapped person', async () => {
      const bob = new Browser(testApp);
      expect((await bob.signIn(provider, organizationId, 'bob')).statusCode).toBe(302);
      expect((await bob.request('GET', '/v1/me')).json().role).toBe('admin');

      const carol = new Browser(testApp);
      const refused = await carol.signIn(provider, organizationId, 'carol');
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.code).toBe('SSO_ROLE_NOT_MAPPED');
      expect(carol.jar.get(names.session)).toBeUndefined();
      expect(carol.jar.get(names.signIn)).toBeUndefined();
      const failed = await listAudit(testApp, adminSecret, { action: 'sign_in.failed' });
      expect(failed.data[0]?.after).toMatchObject({ code: 'SSO_ROLE_NOT_MAPPED' });
    });

    it('refuses a cookie-authenticated mutation without the CSRF header, accepts it with it', async () => {
      const bob = new Browser(testApp);
      await bob.signIn(provider, organizationId, 'bob');
      const url = `/v1/admin/organizations/${organizationId}/keys`;
      const payload = { name: 'made in the browser', role: 'viewer' };
      const missing = await bob.request('POST', url, { payload });
      expect(missing.statusCode).toBe(403);
      expect(missing.json().error.code).toBe('CSRF_TOKEN_MISSING');
      const wrong = await bob.request('POST', url, { payload, headers: { 'x-csrf-token': 'nonce.forged' } });
      expect(wrong.statusCode).toBe(403);
      expect(wrong.json().error.code).toBe('CSRF_TOKEN_INVALID');
      const accepted = await bob.request('POST', url, {
        payload,
        headers: { 'x-csrf-token': bob.jar.get(names.csrf) ?? '' },
      });
      expect(accepted.statusCode, accepted.body).toBe(201);
      const created = await listAudit(testApp, adminSecret, { action: 'api_key.created' });
      expect(created.data[0]?.actor).toMatchObject({ type: 'user' });
    });

    it('rotates the cookies on refresh; a rotated refresh token coming back ends the family', async () => {
      const browser = new Browser(testApp);
      await browser.signIn(provider, organizationId, 'alice');
      const stolen = browser.jar.copy();
      const firstRefresh = browser.jar.get(names.refresh);
      const refreshed = await browser.request('POST', '/v1/auth/refresh');
      expect(refreshed.statusCode, refreshed.body).toBe(200);
      expect(refreshed.json()).toMatchObject({ object: 'session', role: 'developer' });
      expect(browser.jar.get(names.refresh)).not.toBe(firstRefresh);
      expect((await browser.request('GET', '/v1/me')).statusCode).toBe(200);
      const rotated = browser.jar.copy();

      const thief = new Browser(testApp, stolen);
      const reused = await thief.request('POST', '/v1/auth/refresh');
      expect(reused.statusCode).toBe(401);
      expect(reused.json().error.code).toBe('SESSION_REFRESH_TOKEN_REUSED');
      const afterReuse = await browser.request('POST', '/v1/auth/refresh');
      expect(afterReuse.statusCode).toBe(401);
      expect(afterReuse.json().error.code).toBe('SESSION_REVOKED');
      // why a copy: the refusals above cleared the session cookies in those browsers, as they should.
      const me = await new Browser(testApp, rotated).request('GET', '/v1/me');
      expect(me.statusCode).toBe(401);
      expect(me.json().error.code).toBe('SESSION_REVOKED');
      expect((await listAudit(testApp, adminSecret, { action: 'session.refresh_reused' })).data).toHaveLength(
        1,
      );
    });

    it('signs out: the session is revoked and its old cookie refused', async () => {
      const browser = new Browser(testApp);
      await browser.signIn(provider, organizationId, 'alice');
      const before = browser.jar.copy();
      const signedOut = await browser.request('POST', '/v1/auth/sign-out');
      expect(signedOut.statusCode).toBe(200);
      expect(browser.jar.get(names.session)).toBeUndefined();
      const old = await new Browser(testApp, before).request('GET', '/v1/me');
      expect(old.statusCode).toBe(401);
      expect(old.json().error.code).toBe('SESSION_REVOKED');
      const refresh = await new Browser(testApp, before).request('POST', '/v1/auth/refresh');
      expect(refresh.statusCode).toBe(401);
    });

    it('refuses a replayed callback (its state works once), audited as a failed sign-in', async () => {
      const browser = new Browser(testApp);
      const callback = await browser.throughProvider(provider, organizationId, 'alice');
      const binding = browser.jar.copy();
      expect((await browser.request('GET', callback)).statusCode).toBe(302);
      const replay = await new Browser(testApp, binding).request('GET', callback);
      expect(replay.statusCode).toBe(400);
      expect(replay.json().error.code).toBe('SSO_STATE_INVALID');
      const failed = await listAudit(testApp, testApp.adminKey, { action: 'sign_in.failed' });
      expect(failed.data[0]).toMatchObject({ organization_id: null, after: { code: 'SSO_STATE_INVALID' } });
    });

    it('refuses a flood of made-up callbacks from one address with 429 before writing them', async () => {
      const flood = (state: string) =>
        testApp.app.inject({
          method: 'GET',
          url: `/v1/auth/sso/callback?state=${state}&code=x`,
          remoteAddress: '198.51.100.7',
        });
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 32; attempt += 1)
        statuses.push((await flood(`made-up-${attempt}`)).statusCode);
      expect(statuses.slice(0, 30).every((status) => status === 400)).toBe(true);
      const refused = await flood('one-more');
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error.code).toBe('AUTHENTICATION_RATE_LIMITED');
    });

    it('refuses a callback from another browser than the one that started it', async () => {
      const callback = await new Browser(testApp).throughProvider(provider, organizationId, 'alice');
      const other = await new Browser(testApp).request('GET', callback);
      expect(other.statusCode).toBe(400);
      expect(other.json().error.code).toBe('SSO_BROWSER_MISMATCH');
    });

    it('refuses a tampered ID token with a 401, never a 500', async () => {
      network.intercept(async (url, response) => {
        if (!url.endsWith('/token')) return response;
        const body = (await response.json()) as Record<string, unknown>;
        const [header, payload, signature] = String(body.id_token).split('.');
        const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<
          string,
          unknown
        >;
        const forged = Buffer.from(JSON.stringify({ ...claims, groups: ['platform-admins'] })).toString(
          'base64url',
        );
        return Response.json({ ...body, id_token: `${header}.${forged}.${signature}` });
      });
      try {
        const browser = new Browser(testApp);
        const answer = await browser.signIn(provider, organizationId, 'alice');
        expect(answer.statusCode).toBe(401);
        expect(answer.json().error.code).toBe('SSO_ID_TOKEN_BAD_SIGNATURE');
        expect(browser.jar.get(names.session)).toBeUndefined();
      } finally {
        network.intercept(null);
      }
      const failed = await listAudit(testApp, adminSecret, { action: 'sign_in.failed' });
      expect(failed.data[0]).toMatchObject({
        organization_id: organizationId,
        after: { code: 'SSO_ID_TOKEN_BAD_SIGNATURE' },
      });
    });

    it('refuses an expired ID token', async () => {
      const browser = new Browser(testApp);
      const callback = await browser.throughProvider(provider, organizationId, 'alice');
      clock.offsetMs = (idTokenTtlSeconds + 30 + 5) * 1000;
      try {
        const answer = await browser.request('GET', callback);
        expect(answer.statusCode).toBe(401);
        expect(answer.json().error.code).toBe('SSO_ID_TOKEN_EXPIRED');
      } finally {
        clock.offsetMs = 0;
      }
    });

    it('refuses an ID token issued for another client (wrong audience)', async () => {
      const other = await createOrganization('other client');
      const saved = await testApp.app.inject({
        method: 'PUT',
        url: `/v1/admin/organizations/${other.id}/sso`,
        headers: bearer(other.secret),
        payload: connectionBody(provider.issuer, {
          client_id: otherClient.clientId,
          client_secret: otherClient.clientSecret,
          bearer_audiences: [],
        }),
      });
      expect(saved.statusCode, saved.body).toBe(201);
      let captured = '';
      network.intercept(async (url, response) => {
        if (url.endsWith('/token'))
          captured = String(((await response.clone().json()) as { id_token: string }).id_token);
        return response;
      });
      expect((await new Browser(testApp).signIn(provider, other.id, 'alice')).statusCode).toBe(302);
      network.intercept(async (url, response) => {
        if (!url.endsWith('/token')) return response;
        const body = (await response.json()) as Record<string, unknown>;
        return Response.json({ ...body, id_token: captured });
      });
      try {
        const answer = await new Browser(testApp).signIn(provider, organizationId, 'alice');
        expect(answer.statusCode).toBe(401);
        expect(answer.json().error.code).toBe('SSO_ID_TOKEN_WRONG_AUDIENCE');
      } finally {
        network.intercept(null);
      }
    });

    it('keeps signing people in when the provider rotates its signing keys', async () => {
      const jwksBefore = network.count('/jwks');
      await provider.rotateKeys();
      // why: an unknown key id refetches the keys at most once per cooldown (30 s) since the last fetch.
      clock.offsetMs = 31_000;
      try {
        const browser = new Browser(testApp);
        const answer = await browser.signIn(provider, organizationId, 'alice');
        expect(answer.statusCode, answer.body).toBe(302);
        expect((await browser.request('GET', '/v1/me')).statusCode).toBe(200);
      } finally {
        clock.offsetMs = 0;
      }
      expect(network.count('/jwks')).toBe(jwksBefore + 1);
    });

    it('accepts a workload JWT from the provider with the mapped role; refuses another audience', async () => {
      const token = await provider.workloadToken(workloadClient, audience);
      const me = await testApp.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(token) });
      expect(me.statusCode, me.body).toBe(200);
      expect(me.json()).toMatchObject({
        organization_id: organizationId,
        role: 'developer',
        principal: 'workload',
      });
      expect(me.json().api_key.id).toMatch(/^jwt:[0-9a-f]{16}$/);
      const chat = await testApp.app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: bearer(token),
        payload: { model: 'sim/fast', messages: [{ role: 'user', content: 'hello' }], max_tokens: 8 },
      });
      expect(chat.statusCode, chat.body).toBe(200);
      // The call is metered under the workload's principal id, like a key's.
      const workloadId = me.json().api_key.id as string;
      await expect
        .poll(async () => {
          const usage = await testApp.app.inject({
            method: 'GET',
            url: '/v1/usage?group_by=key',
            headers: bearer(token),
          });
          return usage.body;
        })
        .toContain(workloadId);
      const named = await testApp.app.inject({
        method: 'GET',
        url: '/v1/me',
        headers: { ...bearer(token), 'x-kimi-organization': organizationId },
      });
      expect(named.statusCode).toBe(200);

      const foreign = await provider.workloadToken(workloadClient, 'api://another-service');
      const refused = await testApp.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(foreign) });
      expect(refused.statusCode).toBe(401);
      expect(refused.json().error.code).toBe('BEARER_TOKEN_WRONG_AUDIENCE');
    });

    it('with require_sso, accepting an invitation gives the sign-in URL and no API key', async () => {
      const base = `/v1/admin/organizations/${organizationId}`;
      expect(
        (await admin('PUT', `${base}/sso`, connectionBody(provider.issuer, { require_sso: true })))
          .statusCode,
      ).toBe(200);
      const invitation = await admin('POST', `${base}/invitations`, {
        email: 'erin@example.com',
        role: 'viewer',
      });
      expect(invitation.statusCode, invitation.body).toBe(201);
      const accepted = await testApp.app.inject({
        method: 'POST',
        url: '/v1/invitations/accept',
        payload: { token: invitation.json().token },
      });
      expect(accepted.statusCode, accepted.body).toBe(201);
      expect(accepted.json()).toMatchObject({
        organization_id: organizationId,
        role: 'viewer',
        api_key: null,
        sign_in_url: `${publicUrl}/v1/auth/sso/${organizationId}/start`,
      });
      const { client_secret: _secret, ...withoutSecret } = connectionBody(provider.issuer, {
        require_sso: false,
      });
      expect((await admin('PUT', `${base}/sso`, withoutSecret)).statusCode).toBe(200);
      const next = await admin('POST', `${base}/invitations`, { email: 'frank@example.com', role: 'viewer' });
      const withKey = await testApp.app.inject({
        method: 'POST',
        url: '/v1/invitations/accept',
        payload: { token: next.json().token },
      });
      expect(withKey.json().api_key.secret).toMatch(/^sk-kimi-/);
      expect(withKey.json().sign_in_url).toBeNull();

      // A person's key stops the moment the organisation requires SSO; a key of no person goes on.
      const personal = withKey.json().api_key.secret as string;
      const asPerson = () => testApp.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(personal) });
      expect((await asPerson()).statusCode).toBe(200);
      expect((await admin('PUT', `${base}/sso`, { ...withoutSecret, require_sso: true })).statusCode).toBe(
        200,
      );
      const refused = await asPerson();
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error).toMatchObject({ code: 'SSO_REQUIRED' });
      expect(refused.json().error.message).toContain('single sign-on');
      expect((await admin('GET', `${base}/sso`)).statusCode).toBe(200);
      expect((await admin('PUT', `${base}/sso`, withoutSecret)).statusCode).toBe(200);
      expect((await asPerson()).statusCode).toBe(200);
      expect((await admin('PUT', `${base}/sso`, { ...withoutSecret, require_sso: true })).statusCode).toBe(
        200,
      );
      expect((await admin('DELETE', `${base}/sso`)).statusCode).toBe(200);
      expect((await asPerson()).statusCode).toBe(200);
      expect((await admin('PUT', `${base}/sso`, connectionBody(provider.issuer))).statusCode).toBe(201);
    });

    it("removing a member ends that person's sessions at once, audited", async () => {
      const dave = new Browser(testApp);
      await dave.signIn(provider, organizationId, 'dave');
      const me = await dave.request('GET', '/v1/me');
      const userId = me.json().user_id as string;
      const removed = await admin('DELETE', `/v1/admin/organizations/${organizationId}/members/${userId}`);
      expect(removed.statusCode, removed.body).toBe(200);
      const after = await dave.request('GET', '/v1/me');
      expect(after.statusCode).toBe(401);
      expect(after.json().error.code).toBe('SESSION_REVOKED');
      const ended = await listAudit(testApp, adminSecret, { action: 'session.ended' });
      expect(ended.data[0]).toMatchObject({
        actor: { type: 'api_key' },
        after: { user_id: userId, reason: 'member-removed' },
      });
    });

    it('keeps the audit chains intact', async () => {
      const verified = await testApp.app.inject({
        method: 'GET',
        url: '/v1/audit/verify',
        headers: bearer(testApp.adminKey),
      });
      expect(verified.json()).toMatchObject({ valid: true });
    });
  });
}

describe('single sign-on on an https public URL, and without a master key', () => {
  const httpsRedirect = 'https://kimi.example.com/v1/auth/sso/callback';
  const httpsClient = {
    clientId: 'kimi-https',
    clientSecret: 'https-secret-0123456789',
    redirectUri: httpsRedirect,
  };
  let provider: OpenIdTestProvider;

  beforeAll(async () => {
    provider = await startOpenIdTestProvider({
      clients: [httpsClient],
      accounts: [{ id: 'alice', email: 'alice@example.com', name: 'Alice', groups: ['engineers'] }],
    });
  });

  afterAll(async () => {
    await provider?.close();
  });

  it('sets Secure, __Host- and __Secure- prefixed cookies and signs in with them', async () => {
    const { testApp, cleanup } = await backends[0]!.start({
      config: { identity: { public_url: 'https://kimi.example.com' }, sso: { allow_loopback_issuers: true } },
    });
    try {
      const organization = await testApp.app.inject({
        method: 'POST',
        url: '/v1/admin/organizations',
        headers: bearer(testApp.adminKey),
        payload: { name: 'https' },
      });
      const organizationId = organization.json().id as string;
      const saved = await testApp.app.inject({
        method: 'PUT',
        url: `/v1/admin/organizations/${organizationId}/sso`,
        headers: bearer(testApp.adminKey),
        payload: connectionBody(provider.issuer, {
          client_id: httpsClient.clientId,
          client_secret: httpsClient.clientSecret,
          redirect_uri: httpsRedirect,
        }),
      });
      expect(saved.statusCode, saved.body).toBe(201);
      const browser = new Browser(testApp);
      await browser.start(organizationId);
      // why a range: Max-Age counts whole seconds left until the pending sign-in expires.
      expect(browser.jar.cookies.get('__Host-kimi-sign-in')?.attributes).toMatch(
        /^Path=\/; Max-Age=(599|600); HttpOnly; Secure; SameSite=Lax$/,
      );
      browser.jar.cookies.clear();
      expect((await browser.signIn(provider, organizationId, 'alice')).statusCode).toBe(302);
      expect(browser.jar.cookies.get('__Host-kimi-session')?.attributes).toMatch(
        /HttpOnly; Secure; SameSite=Strict/,
      );
      expect(browser.jar.cookies.get('__Secure-kimi-refresh')?.attributes).toMatch(/Path=\/v1\/auth.*Secure/);
      expect(browser.jar.cookies.get('__Host-kimi-csrf')?.attributes).toMatch(/Secure/);
      const me = await browser.request('GET', '/v1/me');
      expect(me.statusCode, me.body).toBe(200);
      expect(me.json().principal).toBe('session');
    } finally {
      await cleanup();
    }
  });

  it('answers 503 SIGN_IN_UNAVAILABLE on the sign-in routes without a master key', async () => {
    const { testApp, cleanup } = await backends[0]!.start({ masterKey: false });
    try {
      for (const [method, url] of [
        ['GET', `/v1/auth/sso/${testApp.organizationId}/start`],
        ['GET', '/v1/auth/sso/callback?state=x&code=y'],
        ['POST', '/v1/auth/refresh'],
        ['POST', '/v1/auth/sign-out'],
      ] as const) {
        const response = await testApp.app.inject({ method, url });
        expect(response.statusCode, `${method} ${url}`).toBe(503);
        expect(response.json().error.code).toBe('SIGN_IN_UNAVAILABLE');
      }
      const put = await testApp.app.inject({
        method: 'PUT',
        url: `/v1/admin/organizations/${testApp.organizationId}/sso`,
        headers: bearer(testApp.adminKey),
        payload: connectionBody('https://login.example.com/tenant/v2.0'),
      });
      expect(put.statusCode).toBe(503);
      const cookie = await testApp.app.inject({
        method: 'GET',
        url: '/v1/me',
        headers: { cookie: 'kimi-session=eyJhbGciOiJIUzI1NiJ9.e30.c2ln' },
      });
      expect(cookie.statusCode).toBe(503);
    } finally {
      await cleanup();
    }
  });
});
