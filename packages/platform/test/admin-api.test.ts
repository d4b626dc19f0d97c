import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

let testApp: TestApp;

beforeAll(async () => {
  testApp = await startTestApp();
});

afterAll(async () => {
  await testApp?.close();
});

const as = (secret: string) => ({ authorization: `Bearer ${secret}` });

describe('admin API', () => {
  it('creates, lists, inspects and disables organisations (platform admin only)', async () => {
    const created = await testApp.app.inject({
      method: 'POST',
      url: '/v1/admin/organizations',
      headers: as(testApp.adminKey),
      payload: { name: 'Acme', metadata: { tier: 'gold' } },
    });
    expect(created.statusCode).toBe(201);
    const organization = created.json();
    expect(organization).toMatchObject({ object: 'organization', name: 'Acme', metadata: { tier: 'gold' } });
    expect(organization.id).toMatch(/^org_/);

    const list = await testApp.app.inject({
      method: 'GET',
      url: '/v1/admin/organizations?limit=1',
      headers: as(testApp.adminKey),
    });
    expect(list.json()).toMatchObject({ object: 'list', has_more: true });
    expect(list.json().data).toHaveLength(1);
    const next = await testApp.app.inject({
      method: 'GET',
      url: `/v1/admin/organizations?limit=10&after=${list.json().last_id}`,
      headers: as(testApp.adminKey),
    });
    expect(next.json().data.length).toBeGreaterThanOrEqual(1);

    const member = await createTenant(testApp, { name: 'member org' });
    const forbidden = await testApp.app.inject({
      method: 'GET',
      url: '/v1/admin/organizations',
      headers: as(member.secret),
    });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('PERMISSION_DENIED');

    const disabled = await testApp.app.inject({
      method: 'DELETE',
      url: `/v1/admin/organizations/${member.organizationId}`,
      headers: as(testApp.adminKey),
    });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json().disabled_at).toBeTruthy();
    const refused = await testApp.app.inject({
      method: 'GET',
      url: '/v1/models',
      headers: as(member.secret),
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('ORGANIZATION_DISABLED');

    const self = await testApp.app.inject({
      method: 'DELETE',
      url: `/v1/admin/organizations/${testApp.organizationId}`,
      headers: as(testApp.adminKey),
    });
    expect(self.statusCode).toBe(400);
  });

  it('shows a key secret once, stores only a prefix, and scopes organisation admins to their own organisation', async () => {
    const admin = await createTenant(testApp, { name: 'team', role: 'admin' });
    const created = await testApp.app.inject({
      method: 'POST',
      url: `/v1/admin/organizations/${admin.organizationId}/keys`,
      headers: as(admin.secret),
      payload: { name: 'ci', allowed_models: ['sim/*'], metadata: { owner: 'ci' } },
    });
    expect(created.statusCode).toBe(201);
    const key = created.json();
    expect(key.secret).toMatch(/^sk-kimi-[0-9A-Za-z]{40}$/);
    expect(key.display_prefix).toBe(`${key.secret.slice(0, 12)}…`);

    const listed = await testApp.app.inject({
      method: 'GET',
      url: `/v1/admin/organizations/${admin.organizationId}/keys`,
      headers: as(admin.secret),
    });
    expect(listed.statusCode).toBe(200);
    expect(listed.body).not.toContain(key.secret);
    expect(listed.json().data.map((entry: { id: string }) => entry.id)).toContain(key.id);

    const other = await createTenant(testApp, { name: 'other' });
    const crossTenant = await testApp.app.inject({
      method: 'GET',
      url: `/v1/admin/organizations/${other.organizationId}/keys`,
      headers: as(admin.secret),
    });
    expect(crossTenant.statusCode).toBe(403);

    const escalate = await testApp.app.inject({
      method: 'POST',
      url: `/v1/admin/organizations/${admin.organizationId}/keys`,
      headers: as(admin.secret),
      payload: { name: 'root', role: 'platform_admin' },
    });
    expect(escalate.statusCode).toBe(403);

    const crossRevoke = await testApp.app.inject({
      method: 'DELETE',
      url: `/v1/admin/organizations/${admin.organizationId}/keys/${other.keyId}`,
      headers: as(admin.secret),
    });
    expect(crossRevoke.statusCode).toBe(404);
  });

  it('validates key input, naming the field', async () => {
    const cases: Array<[object, string]> = [
      [{}, 'name'],
      [{ name: 'x', role: 'superuser' }, 'role'],
      [{ name: 'x', expires_at: 'tomorrow' }, 'expires_at'],
      [{ name: 'x', expires_at: '2001-01-01T00:00:00Z' }, 'expires_at'],
      [{ name: 'x', allowed_models: ['sim/fast', 'nope/model'] }, 'allowed_models[1]'],
      [{ name: 'x', scopes: [] }, 'scopes'],
      [{ name: 'x', scopes: ['usage:read', 'everything'] }, 'scopes[1]'],
      [{ name: 'x', role: 'viewer', scopes: ['models:invoke'] }, 'scopes[0]'],
    ];
    for (const [payload, param] of cases) {
      const response = await testApp.app.inject({
        method: 'POST',
        url: `/v1/admin/organizations/${testApp.organizationId}/keys`,
        headers: as(testApp.adminKey),
        payload,
      });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.param, JSON.stringify(payload)).toBe(param);
    }
    const missing = await testApp.app.inject({
      method: 'POST',
      url: '/v1/admin/organizations/org_missing/keys',
      headers: as(testApp.adminKey),
      payload: { name: 'x' },
    });
    expect(missing.statusCode).toBe(404);
  });

  it('maps the former member role to developer and grants only what the creator holds', async () => {
    const create = (secret: string, payload: object) =>
      testApp.app.inject({
        method: 'POST',
        url: `/v1/admin/organizations/${testApp.organizationId}/keys`,
        headers: as(secret),
        payload,
      });
    const member = await create(testApp.adminKey, { name: 'legacy', role: 'member' });
    expect(member.statusCode).toBe(201);
    expect(member.json()).toMatchObject({
      role: 'developer',
      scopes: null,
      team_id: null,
      last_used_at: null,
    });
    const defaulted = await create(testApp.adminKey, { name: 'default' });
    expect(defaulted.json().role).toBe('developer');

    const administrator = await create(testApp.adminKey, { name: 'admin', role: 'admin' });
    const adminSecret = administrator.json().secret as string;
    const owner = await create(adminSecret, { name: 'owner', role: 'owner' });
    expect(owner.statusCode).toBe(403);
    expect(owner.json().error.message).toContain('This API key may not grant');
    const platform = await create(adminSecret, { name: 'root', role: 'platform_admin' });
    expect(platform.statusCode).toBe(403);

    const narrow = await create(testApp.adminKey, { name: 'narrow', role: 'admin', scopes: ['admin:keys'] });
    expect(narrow.statusCode).toBe(201);
    const narrowSecret = narrow.json().secret as string;
    const wider = await create(narrowSecret, { name: 'wider', role: 'developer' });
    expect(wider.statusCode).toBe(403);
    expect(wider.json().error.message).toContain('grant');
    const within = await create(narrowSecret, { name: 'within', role: 'admin', scopes: ['admin:keys'] });
    expect(within.statusCode).toBe(201);
    const usage = await testApp.app.inject({ method: 'GET', url: '/v1/usage', headers: as(narrowSecret) });
    expect(usage.statusCode).toBe(403);
    expect(usage.json().error.message).toContain('GET /v1/usage');
  });
});
