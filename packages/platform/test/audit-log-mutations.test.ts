import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKeySecret } from '../src/tenancy/index.ts';
import {
  type AuditEntryBody,
  auditBackends,
  bearer,
  exportAudit,
  listAudit,
  verifyAudit,
} from './support/audit-test-support.ts';
import { startHttpMcpServer } from './support/mcp-test-server.ts';
import { probeHostResolver, probeProviderConfig } from './support/route-probes.ts';
import type { TestApp } from './support/test-app.ts';

/**
 * Every kind of admin mutation, through HTTP, writes exactly one audit entry naming the actor, the
 * target and the request's origin; a refused or failed mutation writes none; an audit write that
 * fails rolls the change back; no secret the test created appears in any entry.
 */
const backends = await auditBackends();
const mcp = await startHttpMcpServer();
afterAll(async () => {
  await mcp.close();
});

const clientAddress = '203.0.113.9';

interface Expected {
  action: string;
  organizationId: string | null;
  target: { type: string; id: string };
  actorId: string;
  before?: unknown;
  after?: unknown;
}

for (const backend of backends) {
  describe.runIf(backend.available)(`audit entries of admin mutations (${backend.name})`, () => {
    let testApp: TestApp;
    let cleanup: () => Promise<void>;
    let platformKeyId: string;
    const secrets: string[] = [];

    const send = (secret: string, method: string, url: string, payload?: unknown) =>
      testApp.app.inject({
        method: method as 'GET',
        url,
        headers: bearer(secret),
        remoteAddress: clientAddress,
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      });
    const entryCount = async () => {
      const verification = await verifyAudit(testApp, testApp.adminKey);
      expect(verification.valid).toBe(true);
      return verification.entries;
    };

    /** Sends one mutation and checks that it wrote exactly one entry, as expected. */
    async function mutate(
      secret: string,
      method: string,
      url: string,
      payload: unknown,
      status: number,
      expectation: Expected | ((body: Record<string, unknown>) => Expected),
    ): Promise<{ body: Record<string, unknown>; entry: AuditEntryBody }> {
      const before = await entryCount();
      const response = await send(secret, method, url, payload);
      expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(status);
      const body: Record<string, unknown> = response.body ? response.json() : {};
      const expected = typeof expectation === 'function' ? expectation(body) : expectation;
      const label = `${method} ${url} (${expected.action})`;
      expect(await entryCount(), label).toBe(before + 1);
      const [entry] = (await listAudit(testApp, testApp.adminKey, { limit: '1' })).data;
      expect(entry, label).toMatchObject({
        action: expected.action,
        organization_id: expected.organizationId,
        chain_key: expected.organizationId ?? 'platform',
        target: expected.target,
        actor: { type: 'api_key', id: expected.actorId },
        client_address: clientAddress,
        request_id: response.headers['x-request-id'],
        ...(expected.before === undefined ? {} : { before: expected.before }),
        ...(expected.after === undefined ? {} : { after: expected.after }),
      });
      return { body, entry: entry! };
    }

    /** Sends a mutation that must fail, and checks that it wrote nothing. */
    async function refused(secret: string, method: string, url: string, payload: unknown, status: number) {
      const before = await entryCount();
      const response = await send(secret, method, url, payload);
      expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(status);
      expect(await entryCount(), `${method} ${url} wrote an entry`).toBe(before);
    }

    beforeAll(async () => {
      ({ testApp, cleanup } = await backend.start({
        config: { providers: probeProviderConfig },
        resolveHost: probeHostResolver(),
        allowInsecureWebhooks: true,
        swarms: { runWorker: false },
      }));
      const keys = await send(
        testApp.adminKey,
        'GET',
        `/v1/admin/organizations/${testApp.organizationId}/keys`,
      );
      platformKeyId = (keys.json().data as Array<{ id: string; role: string }>).find(
        (key) => key.role === 'platform_admin',
      )!.id;
    });
    afterAll(async () => {
      await cleanup?.();
    });

    it('writes exactly one entry per mutation, with actor, target and origin', async () => {
      const platform = testApp.adminKey;
      const asPlatform = (action: string, organizationId: string | null, target: Expected['target']) => ({
        action,
        organizationId,
        target,
        actorId: platformKeyId,
      });
      const organization = await mutate(
        platform,
        'POST',
        '/v1/admin/organizations',
        { name: 'audited' },
        201,
        (body) => ({
          ...asPlatform('organization.created', body.id as string, {
            type: 'organization',
            id: body.id as string,
          }),
          before: null,
          after: expect.objectContaining({ id: body.id, name: 'audited', plan_id: null }),
        }),
      );
      expect(organization.entry.actor.organization_id).toBe(testApp.organizationId);
      const organizationId = organization.body.id as string;
      const base = `/v1/admin/organizations/${organizationId}`;
      const inOrganization = (action: string, target: Expected['target'], actorId: string) => ({
        action,
        organizationId,
        target,
        actorId,
      });

      const admin = await mutate(
        platform,
        'POST',
        `${base}/keys`,
        { name: 'admin', role: 'admin' },
        201,
        (body) => ({
          ...inOrganization('api_key.created', { type: 'api_key', id: body.id as string }, platformKeyId),
          before: null,
          after: expect.objectContaining({ id: body.id, name: 'admin', role: 'admin', revoked_at: null }),
        }),
      );
      const adminSecret = admin.body.secret as string;
      const adminKeyId = admin.body.id as string;
      secrets.push(adminSecret);
      const member = await mutate(adminSecret, 'POST', `${base}/keys`, { name: 'member' }, 201, (body) =>
        inOrganization('api_key.created', { type: 'api_key', id: body.id as string }, adminKeyId),
      );
      secrets.push(member.body.secret as string);
      const memberKeyId = member.body.id as string;
      expect(member.entry.target.id).toBe(memberKeyId);

      await mutate(platform, 'PUT', `${base}/tool-network-allowlist`, { entries: ['127.0.0.1'] }, 200, {
        ...asPlatform('tool_network_allowlist.set', organizationId, {
          type: 'organization',
          id: organizationId,
        }),
        before: { entries: [] },
        after: { entries: ['127.0.0.1'] },
      });
      const providerKey = `sk-audit-provider-${'p'.repeat(24)}`;
      secrets.push(providerKey);
      await mutate(
        adminSecret,
        'PUT',
        `${base}/provider-keys/localllm`,
        { api_key: providerKey, base_url: 'https://audit-llm.public.test/v1' },
        200,
        {
          ...inOrganization('provider_key.set', { type: 'provider_key', id: 'localllm' }, adminKeyId),
          before: null,
          after: { provider: 'localllm', base_url: 'https://audit-llm.public.test/v1' },
        },
      );
      await mutate(adminSecret, 'DELETE', `${base}/provider-keys/localllm`, undefined, 200, {
        ...inOrganization('provider_key.deleted', { type: 'provider_key', id: 'localllm' }, adminKeyId),
        after: null,
      });

      const plan = { type: 'plan', id: 'audit-gold' };
      await mutate(platform, 'PUT', '/v1/admin/plans/audit-gold', { name: 'Gold', rank: 9 }, 201, {
        ...asPlatform('plan.created', null, plan),
        before: null,
        after: expect.objectContaining({ id: 'audit-gold', name: 'Gold', rank: 9 }),
      });
      await mutate(platform, 'PUT', '/v1/admin/plans/audit-gold', { name: 'Gold II' }, 200, {
        ...asPlatform('plan.updated', null, plan),
        before: expect.objectContaining({ name: 'Gold' }),
        after: expect.objectContaining({ name: 'Gold II' }),
      });
      await mutate(platform, 'PUT', `${base}/plan`, { plan: 'audit-gold' }, 200, {
        ...asPlatform('organization.plan_changed', organizationId, {
          type: 'organization',
          id: organizationId,
        }),
        before: { plan_id: null },
        after: { plan_id: 'audit-gold' },
      });
      await refused(platform, 'DELETE', '/v1/admin/plans/audit-gold', undefined, 409);
      await mutate(platform, 'PUT', `${base}/plan`, { plan: null }, 200, {
        ...asPlatform('organization.plan_changed', organizationId, {
          type: 'organization',
          id: organizationId,
        }),
        before: { plan_id: 'audit-gold' },
        after: { plan_id: null },
      });
      await mutate(platform, 'DELETE', '/v1/admin/plans/audit-gold', undefined, 200, {
        ...asPlatform('plan.deleted', null, plan),
        after: null,
      });

      const budget = await mutate(
        adminSecret,
        'POST',
        `${base}/budgets`,
        { scope: 'end_user', subject: 'someone', limit_usd: 25, period: 'month' },
        201,
        (body) => ({
          ...inOrganization('budget.created', { type: 'budget', id: body.id as string }, adminKeyId),
          after: expect.objectContaining({ scope: 'end_user', subject: 'someone', limit_usd: '25' }),
        }),
      );
      const budgetTarget = { type: 'budget', id: budget.body.id as string };
      await mutate(adminSecret, 'PATCH', `${base}/budgets/${budgetTarget.id}`, { limit_usd: 30 }, 200, {
        ...inOrganization('budget.updated', budgetTarget, adminKeyId),
        before: expect.objectContaining({ limit_usd: '25' }),
        after: expect.objectContaining({ limit_usd: '30' }),
      });
      await mutate(adminSecret, 'DELETE', `${base}/budgets/${budgetTarget.id}`, undefined, 200, {
        ...inOrganization('budget.deleted', budgetTarget, adminKeyId),
        after: null,
      });

      await mutate(platform, 'PUT', `${base}/rate-limits`, { requests_per_minute: 500 }, 200, {
        ...asPlatform('rate_limits.updated', organizationId, { type: 'organization', id: organizationId }),
        before: { requests_per_minute: null, tokens_per_minute: null, concurrent_requests: null },
        after: { requests_per_minute: 500, tokens_per_minute: null, concurrent_requests: null },
      });
      await mutate(
        adminSecret,
        'PUT',
        `${base}/keys/${memberKeyId}/rate-limits`,
        { tokens_per_minute: 900 },
        200,
        {
          ...inOrganization('rate_limits.updated', { type: 'api_key', id: memberKeyId }, adminKeyId),
          after: expect.objectContaining({ tokens_per_minute: 900 }),
        },
      );

      const webhook = { type: 'webhook', id: organizationId };
      const generated = await mutate(
        adminSecret,
        'PUT',
        `${base}/webhook`,
        { url: 'http://127.0.0.1:9/audit-hook' },
        200,
        {
          ...inOrganization('webhook.set', webhook, adminKeyId),
          before: null,
          after: { url: 'http://127.0.0.1:9/audit-hook', secret_generated: true },
        },
      );
      secrets.push(generated.body.secret as string);
      const givenWebhookSecret = 'given-webhook-secret-0123456789';
      secrets.push(givenWebhookSecret);
      await mutate(
        adminSecret,
        'PUT',
        `${base}/webhook`,
        { url: 'http://127.0.0.1:9/audit-hook-2', secret: givenWebhookSecret },
        200,
        {
          ...inOrganization('webhook.set', webhook, adminKeyId),
          before: { url: 'http://127.0.0.1:9/audit-hook' },
          after: { url: 'http://127.0.0.1:9/audit-hook-2', secret_generated: false },
        },
      );
      await mutate(adminSecret, 'DELETE', `${base}/webhook`, undefined, 200, {
        ...inOrganization('webhook.deleted', webhook, adminKeyId),
        after: null,
      });

      await mutate(adminSecret, 'PUT', `${base}/cache-policy`, { enabled: true, ttl_seconds: 60 }, 200, {
        ...inOrganization('cache_policy.updated', { type: 'organization', id: organizationId }, adminKeyId),
        before: expect.objectContaining({ enabled: null, ttl_seconds: null }),
        after: expect.objectContaining({ enabled: true, ttl_seconds: 60 }),
      });
      await mutate(adminSecret, 'PUT', `${base}/keys/${memberKeyId}/cache-policy`, { enabled: false }, 200, {
        ...inOrganization('cache_policy.updated', { type: 'api_key', id: memberKeyId }, adminKeyId),
        after: expect.objectContaining({ enabled: false }),
      });
      await mutate(adminSecret, 'DELETE', '/v1/cache', undefined, 200, {
        ...inOrganization('cache.purged', { type: 'organization', id: organizationId }, adminKeyId),
        after: expect.objectContaining({ l1_entries: 0, l2: 'not-configured', semantic_entries: 0 }),
      });

      const tool = await mutate(
        adminSecret,
        'POST',
        '/v1/tools',
        {
          name: 'audit_weather',
          description: 'The weather.',
          url: 'https://audit-tool.public.test/run',
          parameters: { type: 'object', properties: {} },
        },
        201,
        {
          ...inOrganization('tool.created', { type: 'tool', id: 'audit_weather' }, adminKeyId),
          after: expect.objectContaining({
            url: 'https://audit-tool.public.test/run',
            needs_approval: false,
          }),
        },
      );
      secrets.push(tool.body.secret as string);
      await mutate(adminSecret, 'DELETE', '/v1/tools/audit_weather', undefined, 200, {
        ...inOrganization('tool.deleted', { type: 'tool', id: 'audit_weather' }, adminKeyId),
        after: null,
      });
      const headerSecret = `Bearer mcp-header-secret-${'m'.repeat(20)}`;
      secrets.push(headerSecret, headerSecret.slice('Bearer '.length));
      await mutate(
        adminSecret,
        'POST',
        '/v1/mcp-servers',
        {
          transport: 'streamable_http',
          name: 'audit-mcp',
          url: mcp.url,
          headers: { Authorization: headerSecret },
        },
        201,
        {
          ...inOrganization('mcp_server.created', { type: 'mcp_server', id: 'audit-mcp' }, adminKeyId),
          after: expect.objectContaining({ header_names: ['Authorization'], url: mcp.url }),
        },
      );
      await mutate(adminSecret, 'DELETE', '/v1/mcp-servers/audit-mcp', undefined, 200, {
        ...inOrganization('mcp_server.deleted', { type: 'mcp_server', id: 'audit-mcp' }, adminKeyId),
        after: null,
      });

      const template = { type: 'swarm_template', id: 'audit-template' };
      const agents = [{ role: 'writer', instructions: 'Write.', tools: ['calculator'] }];
      await mutate(
        adminSecret,
        'POST',
        '/v1/swarm-templates',
        { name: 'audit-template', description: 'First.', agents },
        201,
        { ...inOrganization('swarm_template.created', template, adminKeyId), before: null },
      );
      await mutate(
        adminSecret,
        'PUT',
        '/v1/swarm-templates/audit-template',
        { description: 'Second.', agents },
        200,
        {
          ...inOrganization('swarm_template.replaced', template, adminKeyId),
          before: expect.objectContaining({ description: 'First.' }),
          after: expect.objectContaining({ description: 'Second.' }),
        },
      );
      await mutate(adminSecret, 'DELETE', '/v1/swarm-templates/audit-template', undefined, 200, {
        ...inOrganization('swarm_template.deleted', template, adminKeyId),
        after: null,
      });

      await mutate(adminSecret, 'DELETE', `${base}/keys/${memberKeyId}`, undefined, 200, {
        ...inOrganization('api_key.revoked', { type: 'api_key', id: memberKeyId }, adminKeyId),
        before: { revoked_at: null },
        after: { revoked_at: expect.any(String) },
      });
      await mutate(platform, 'DELETE', base, undefined, 200, {
        ...asPlatform('organization.disabled', organizationId, { type: 'organization', id: organizationId }),
        before: { disabled_at: null },
        after: expect.objectContaining({ disabled_at: expect.any(String) }),
      });
    });

    it('writes nothing for a mutation that is refused or fails', async () => {
      const tenant = await send(testApp.adminKey, 'POST', '/v1/admin/organizations', { name: 'refusals' });
      const organizationId = tenant.json().id as string;
      const base = `/v1/admin/organizations/${organizationId}`;
      const key = await send(testApp.adminKey, 'POST', `${base}/keys`, { name: 'a', role: 'admin' });
      const admin = key.json().secret as string;
      secrets.push(admin);
      const member = (await send(admin, 'POST', `${base}/keys`, { name: 'm' })).json().secret as string;
      secrets.push(member);
      await refused(admin, 'POST', `${base}/keys`, { name: 'late', expires_at: '2001-01-01T00:00:00Z' }, 400);
      await refused(admin, 'DELETE', `${base}/keys/key_does_not_exist`, undefined, 404);
      await refused(admin, 'PATCH', `${base}/budgets/bud_does_not_exist`, { limit_usd: 5 }, 404);
      await refused(admin, 'PUT', `${base}/webhook`, { url: 'ftp://example.com/hook' }, 400);
      await refused(admin, 'DELETE', `${base}/webhook`, undefined, 404);
      await refused(admin, 'PUT', '/v1/admin/plans/not-allowed', { name: 'x' }, 403);
      await refused(admin, 'PUT', `${base}/rate-limits`, { requests_per_minute: 1 }, 403);
      await refused(testApp.adminKey, 'DELETE', '/v1/admin/plans/free', undefined, 400);
      await refused(testApp.adminKey, 'PUT', `${base}/plan`, { plan: 'no-such-plan' }, 400);
      await refused(
        testApp.adminKey,
        'DELETE',
        `/v1/admin/organizations/${testApp.organizationId}`,
        undefined,
        400,
      );
      await refused(
        member,
        'POST',
        '/v1/tools',
        { name: 't', description: 'd', url: 'https://t.public.test/', parameters: { type: 'object' } },
        403,
      );
      await refused(admin, 'DELETE', '/v1/mcp-servers/none', undefined, 404);
      await refused(
        admin,
        'PUT',
        '/v1/swarm-templates/none',
        { description: 'd', agents: [{ role: 'a', instructions: 'b', tools: [] }] },
        404,
      );
      await refused(admin, 'DELETE', '/v1/cache?organization_id=org_someone_else', undefined, 403);
    });

    it('rolls the change back when its audit entry cannot be written', async () => {
      const organizationId = (
        await send(testApp.adminKey, 'POST', '/v1/admin/organizations', { name: 'rollback' })
      ).json().id as string;
      const base = `/v1/admin/organizations/${organizationId}`;
      await testApp.database.query(`
        CREATE FUNCTION audit_test_refuse_insert() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the audit store is failing'; END; $$;
        CREATE TRIGGER audit_test_refuse_insert BEFORE INSERT ON audit_log
          FOR EACH ROW EXECUTE FUNCTION audit_test_refuse_insert();`);
      try {
        const before = await entryCount();
        const created = await send(testApp.adminKey, 'POST', `${base}/budgets`, {
          scope: 'organization',
          limit_usd: 10,
          period: 'month',
        });
        expect(created.statusCode).toBe(500);
        const keyAttempt = await send(testApp.adminKey, 'POST', `${base}/keys`, { name: 'never' });
        expect(keyAttempt.statusCode).toBe(500);
        expect(await entryCount()).toBe(before);
        const budgets = await send(testApp.adminKey, 'GET', `${base}/budgets`);
        expect(budgets.json().data).toEqual([]);
        const keys = await send(testApp.adminKey, 'GET', `${base}/keys?include_revoked=true`);
        expect(keys.json().data).toEqual([]);
      } finally {
        await testApp.database.query(`
          DROP TRIGGER audit_test_refuse_insert ON audit_log;
          DROP FUNCTION audit_test_refuse_insert();`);
      }
    });

    it('stores no secret, secret hash or sealed value in any entry', async () => {
      expect(secrets.length).toBeGreaterThanOrEqual(8);
      const exported = await exportAudit(testApp, testApp.adminKey);
      expect(exported.status).toBe(200);
      const stored = await testApp.database.query('SELECT * FROM audit_log');
      const sealed = await testApp.database.query<{ value: string }>(`
        SELECT sealed_secret AS value FROM organization_tools
        UNION ALL SELECT sealed_api_key FROM organization_provider_keys WHERE sealed_api_key <> ''
        UNION ALL SELECT sealed_headers FROM organization_mcp_servers WHERE sealed_headers IS NOT NULL
        UNION ALL SELECT secret_hash FROM api_keys`);
      const everything = `${exported.body}\n${JSON.stringify(stored.rows)}`;
      const forbidden = [
        ...secrets,
        ...secrets.map(hashApiKeySecret),
        ...sealed.rows.map((row) => row.value),
      ];
      expect(forbidden.filter((value) => everything.includes(value))).toEqual([]);
      // The MCP server's entry shows which header was set, never its value.
      expect(everything).toContain('"header_names":["Authorization"]');
    });
  });
}
