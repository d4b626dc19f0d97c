import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/test-app.ts';

/**
 * New organisations start on the configured default plan (Free unless configured), a creator may
 * name another plan or none, and an unknown plan is a 400 naming `plan`.
 */
let testApp: TestApp | undefined;

afterEach(async () => {
  await testApp?.close();
  testApp = undefined;
});

async function createOrganization(app: TestApp, body: Record<string, unknown>) {
  return app.app.inject({
    method: 'POST',
    url: '/v1/admin/organizations',
    headers: { authorization: `Bearer ${app.adminKey}` },
    payload: body,
  });
}

async function planOf(app: TestApp, organizationId: string): Promise<string | null> {
  const response = await app.app.inject({
    method: 'GET',
    url: `/v1/admin/organizations/${organizationId}/plan`,
    headers: { authorization: `Bearer ${app.adminKey}` },
  });
  expect(response.statusCode).toBe(200);
  return response.json<{ plan: { id: string } | null }>().plan?.id ?? null;
}

describe('the plan of a new organization', () => {
  it('is Free by default, with its limits in force', async () => {
    // The real default: no `organizations:` section (the test app's own default is cleared here).
    testApp = await startTestApp({ config: { organizations: {} } });
    const created = await createOrganization(testApp, { name: 'acme' });
    expect(created.statusCode).toBe(201);
    const organization = created.json<{ id: string; plan_id: string | null }>();
    expect(organization.plan_id).toBe('free');
    expect(await planOf(testApp, organization.id)).toBe('free');

    const key = await testApp.app.inject({
      method: 'POST',
      url: `/v1/admin/organizations/${organization.id}/keys`,
      headers: { authorization: `Bearer ${testApp.adminKey}` },
      payload: { name: 'member', role: 'member' },
    });
    const secret = key.json<{ secret: string }>().secret;
    // Free allows 3 agents per run: a fourth inline agent is refused before anything runs.
    const swarm = await testApp.app.inject({
      method: 'POST',
      url: '/v1/swarms',
      headers: { authorization: `Bearer ${secret}` },
      payload: {
        task: 'four agents',
        agents: ['a', 'b', 'c', 'd'].map((role) => ({ role, instructions: 'work' })),
      },
    });
    expect(swarm.statusCode).toBeGreaterThanOrEqual(400);
    expect(swarm.statusCode).toBeLessThan(500);
  });

  it('follows organizations.default_plan, and the creator may name another plan or none', async () => {
    testApp = await startTestApp({ config: { organizations: { default_plan: 'premium' } } });
    const byDefault = (await createOrganization(testApp, { name: 'a' })).json<{ plan_id: string }>();
    expect(byDefault.plan_id).toBe('premium');
    const named = (await createOrganization(testApp, { name: 'b', plan: 'basic' })).json<{ id: string }>();
    expect(await planOf(testApp, named.id)).toBe('basic');
    const none = (await createOrganization(testApp, { name: 'c', plan: null })).json<{ id: string }>();
    expect(await planOf(testApp, none.id)).toBeNull();
  });

  it('refuses an unknown plan with a 400 naming the field, and creates nothing', async () => {
    testApp = await startTestApp({ config: { organizations: {} } });
    const before = await testApp.database.query<{ count: string }>('SELECT count(*) FROM organizations');
    const response = await createOrganization(testApp, { name: 'x', plan: 'platinum' });
    expect(response.statusCode).toBe(400);
    const error = response.json<{ error: { code: string; param: string; message: string } }>().error;
    expect(error.param).toBe('plan');
    expect(error.message).toContain('platinum');
    const after = await testApp.database.query<{ count: string }>('SELECT count(*) FROM organizations');
    expect(after.rows[0]?.count).toBe(before.rows[0]?.count);
  });

  it('refuses to start when the default plan does not exist, naming the setting', async () => {
    await expect(startTestApp({ config: { organizations: { default_plan: 'platinum' } } })).rejects.toThrow(
      /organizations\.default_plan/,
    );
  });
});
