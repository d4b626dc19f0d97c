/**
 * The platform's services answer without HTTP: the worker, GraphQL and the CLI call the same
 * functions the REST handlers translate to, with the same role checks and the same coded errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformError } from '../src/errors/index.ts';
import type { AuthContext } from '../src/tenancy/index.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

let testApp: TestApp;
let member: AuthContext;
let administrator: AuthContext;
let platformAdministrator: AuthContext;

async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    if (error instanceof PlatformError) return error.code;
    throw error;
  }
  return 'resolved';
}

beforeAll(async () => {
  testApp = await startTestApp();
  const authenticate = (secret: string) => testApp.platform.authenticator.authenticate(secret);
  const memberTenant = await createTenant(testApp, { role: 'member' });
  member = await authenticate(memberTenant.secret);
  const adminTenant = await createTenant(testApp, { role: 'admin' });
  administrator = await authenticate(adminTenant.secret);
  platformAdministrator = await authenticate(testApp.adminKey);
});

afterAll(async () => {
  await testApp.close();
});

describe('tool library services', () => {
  it('create, read and delete an HTTP tool and a template for the caller organisation only', async () => {
    const { tools, templates } = testApp.platform.toolLibrary;
    const created = await tools.create(administrator, {
      name: 'lookup',
      description: 'Looks a thing up.',
      url: 'https://tools.example.com/lookup',
      parameters: { type: 'object', properties: {} },
      needsApproval: false,
    });
    expect(created.secret.length).toBeGreaterThan(20);
    const found = await tools.get(administrator, 'lookup');
    expect(found.kind === 'http' && found.record.id).toBe(created.record.id);
    expect(await codeOf(tools.get(member, 'lookup'))).toBe('NOT_FOUND');
    expect(await codeOf(tools.create(member, { ...created.record, needsApproval: false }))).toBe(
      'PERMISSION_DENIED',
    );

    const builtIn = (await templates.list(administrator)).find((entry) => entry.source === 'built-in');
    expect(builtIn).toBeDefined();
    const copy = { ...builtIn!.template, name: 'my-copy' };
    const stored = await templates.create(administrator, copy);
    expect((await templates.get(administrator, 'my-copy')).source).toBe('organization');
    expect(stored.template.name).toBe('my-copy');
    expect(await codeOf(templates.delete(administrator, builtIn!.template.name))).toBe('INVALID_REQUEST');
    await templates.delete(administrator, 'my-copy');
    await tools.delete(administrator, 'lookup');
    expect(await codeOf(tools.get(administrator, 'lookup'))).toBe('NOT_FOUND');
  });

  it('lets only the platform admin set the network allowlist, and names a bad entry', async () => {
    const { networkAllowlist } = testApp.platform.toolLibrary;
    const organizationId = administrator.organizationId;
    expect(await codeOf(networkAllowlist.put(administrator, organizationId, ['10.0.0.0/8']))).toBe(
      'PERMISSION_DENIED',
    );
    await networkAllowlist.put(platformAdministrator, organizationId, ['10.0.0.0/8']);
    expect(await networkAllowlist.get(administrator, organizationId)).toEqual(['10.0.0.0/8']);
    expect(await codeOf(networkAllowlist.get(administrator, member.organizationId))).toBe(
      'PERMISSION_DENIED',
    );
    const bad = networkAllowlist.put(platformAdministrator, organizationId, ['10.0.0.0/8', 'not a host!']);
    await expect(bad).rejects.toMatchObject({ param: 'entries[1]' });
  });
});

describe('cache services', () => {
  it('keeps a key policy over the organisation policy and refuses another organisation', async () => {
    const { caching } = testApp.platform;
    const organizationId = administrator.organizationId;
    await caching.putPolicy(administrator, organizationId, null, { ttlSeconds: 600 });
    const keyView = await caching.putPolicy(administrator, organizationId, administrator.apiKeyId, {
      enabled: false,
    });
    expect(keyView.stored.enabled).toBe(false);
    expect(keyView.effective.ttlSeconds).toBe(600);
    expect(keyView.effective.enabled).toBe(false);
    expect(await codeOf(caching.policy(administrator, member.organizationId, null))).toBe(
      'PERMISSION_DENIED',
    );
    expect(await codeOf(caching.statistics(member, { organizationId: organizationId }))).toBe(
      'PERMISSION_DENIED',
    );
    const statistics = await caching.statistics(member, {});
    expect(statistics.organizationId).toBe(member.organizationId);
    expect(statistics.hitRatio).toBe(0);
  });
});
