import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuditEntryBody,
  auditBackends,
  bearer,
  exportAudit,
  listAudit,
  verifyAudit,
} from './support/audit-test-support.ts';
import { createTenant, type TestApp } from './support/test-app.ts';

/**
 * The audit log's routes on both backends: organisation scoping, filters and pages, the JSON-lines
 * export, bad input, the database's refusals, concurrent mutations, and a superuser's tampering
 * shown by verify.
 */
const backends = await auditBackends();

for (const backend of backends) {
  describe.runIf(backend.available)(`audit log API (${backend.name})`, () => {
    let testApp: TestApp;
    let cleanup: () => Promise<void>;
    let alpha: { organizationId: string; keyId: string; secret: string };
    let bravo: { organizationId: string; keyId: string; secret: string };
    let alphaMember: { secret: string };
    const budgetsOf = (organizationId: string) => `/v1/admin/organizations/${organizationId}/budgets`;
    const createBudget = async (secret: string, organizationId: string, subject: string) => {
      const response = await testApp.app.inject({
        method: 'POST',
        url: budgetsOf(organizationId),
        headers: bearer(secret),
        payload: { scope: 'end_user', subject, limit_usd: 5, period: 'month' },
      });
      expect(response.statusCode, response.body).toBe(201);
      return response.json<{ id: string }>().id;
    };
    const get = (secret: string, url: string) =>
      testApp.app.inject({ method: 'GET', url, headers: bearer(secret) });

    beforeAll(async () => {
      ({ testApp, cleanup } = await backend.start({}));
      alpha = await createTenant(testApp, { name: 'alpha', role: 'admin' });
      bravo = await createTenant(testApp, { name: 'bravo', role: 'admin' });
      const member = await testApp.app.inject({
        method: 'POST',
        url: `/v1/admin/organizations/${alpha.organizationId}/keys`,
        headers: bearer(alpha.secret),
        payload: { name: 'member' },
      });
      alphaMember = { secret: member.json().secret };
      const budgetId = await createBudget(alpha.secret, alpha.organizationId, 'first');
      await testApp.app.inject({
        method: 'PATCH',
        url: `${budgetsOf(alpha.organizationId)}/${budgetId}`,
        headers: bearer(alpha.secret),
        payload: { limit_usd: 7 },
      });
      await createBudget(bravo.secret, bravo.organizationId, 'bravo-only-subject');
    });
    afterAll(async () => {
      await cleanup?.();
    });

    it("shows an organisation admin its own organisation's entries, and the platform admin all", async () => {
      const own = await listAudit(testApp, alpha.secret, { limit: '100' });
      expect(own.data.length).toBe(5);
      expect(own.data.every((entry) => entry.organization_id === alpha.organizationId)).toBe(true);
      expect(own.data.map((entry) => entry.action)).toEqual([
        'budget.updated',
        'budget.created',
        'api_key.created',
        'api_key.created',
        'organization.created',
      ]);
      expect(JSON.stringify(own)).not.toContain(bravo.organizationId);
      expect(JSON.stringify(own)).not.toContain('bravo-only-subject');
      const all = await listAudit(testApp, testApp.adminKey, { limit: '100' });
      expect(new Set(all.data.map((entry) => entry.organization_id))).toEqual(
        new Set([alpha.organizationId, bravo.organizationId]),
      );
      const onlyBravo = await listAudit(testApp, testApp.adminKey, { organization_id: bravo.organizationId });
      expect(onlyBravo.data.every((entry) => entry.organization_id === bravo.organizationId)).toBe(true);
      expect(onlyBravo.data.length).toBe(3);
    });

    it("records the platform admin's listing of every organisation on the platform chain", async () => {
      const listed = await testApp.app.inject({
        method: 'GET',
        url: '/v1/admin/organizations',
        headers: { authorization: `Bearer ${testApp.adminKey}` },
      });
      expect(listed.statusCode).toBe(200);
      const [entry] = (
        await listAudit(testApp, testApp.adminKey, { action: 'platform.cross_organization_read', limit: '1' })
      ).data;
      expect(entry).toMatchObject({
        chain_key: 'platform',
        organization_id: null,
        target: { type: 'platform', id: 'organizations.list' },
        request_id: listed.headers['x-request-id'],
      });
      const own = await listAudit(testApp, alpha.secret, { action: 'platform.cross_organization_read' });
      expect(own.data).toEqual([]);
    });

    it('refuses member keys and organisation admins naming another organisation', async () => {
      for (const url of ['/v1/audit', '/v1/audit/verify', '/v1/audit/export']) {
        const member = await get(alphaMember.secret, url);
        expect(member.statusCode, url).toBe(403);
        expect(member.json().error.code).toBe('PERMISSION_DENIED');
        const other = await get(alpha.secret, `${url}?organization_id=${bravo.organizationId}`);
        expect(other.statusCode, url).toBe(403);
        expect(other.body).not.toContain('bravo-only-subject');
      }
      const unauthenticated = await testApp.app.inject({ method: 'GET', url: '/v1/audit' });
      expect(unauthenticated.statusCode).toBe(401);
    });

    it('filters by action, actor, target and time', async () => {
      const actions = async (query: Record<string, string>) =>
        (await listAudit(testApp, alpha.secret, query)).data.map((entry) => entry.action);
      expect(await actions({ action: 'budget.*' })).toEqual(['budget.updated', 'budget.created']);
      expect(await actions({ action: 'budget.updated' })).toEqual(['budget.updated']);
      expect(await actions({ actor_id: alpha.keyId })).toEqual([
        'budget.updated',
        'budget.created',
        'api_key.created',
      ]);
      expect(await actions({ target_type: 'organization' })).toEqual(['organization.created']);
      expect(await actions({ target_id: alpha.keyId })).toEqual(['api_key.created']);
      expect(await actions({ from: '2000-01-01', to: '2001-01-01' })).toEqual([]);
      expect((await actions({ from: '2000-01-01T00:00:00Z' })).length).toBe(5);
      const [entry] = (await listAudit(testApp, alpha.secret, { action: 'budget.updated' })).data;
      expect(entry).toMatchObject({
        object: 'audit_entry',
        chain_key: alpha.organizationId,
        actor: { type: 'api_key', id: alpha.keyId, organization_id: alpha.organizationId },
        target: { type: 'budget' },
        before: expect.objectContaining({ limit_usd: '5' }),
        after: expect.objectContaining({ limit_usd: '7' }),
        client_address: '127.0.0.1',
        request_id: expect.stringMatching(/^req_/),
        previous_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    });

    it('pages newest first with limit and after', async () => {
      const first = await listAudit(testApp, alpha.secret, { limit: '2' });
      expect(first).toMatchObject({ has_more: true, last_id: first.data[1]!.id });
      const second = await listAudit(testApp, alpha.secret, { limit: '2', after: first.last_id! });
      const third = await listAudit(testApp, alpha.secret, { limit: '2', after: second.last_id! });
      expect(third.has_more).toBe(false);
      const ids = [...first.data, ...second.data, ...third.data].map((entry) => Number(entry.id));
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      expect(ids.length).toBe(5);
      const all = await listAudit(testApp, alpha.secret, { limit: '100' });
      expect(ids).toEqual(all.data.map((entry) => Number(entry.id)));
    });

    it('answers bad queries with a 400 naming the field', async () => {
      const cases: Array<[string, string]> = [
        ['/v1/audit?limit=101', 'limit'],
        ['/v1/audit?limit=0', 'limit'],
        ['/v1/audit?after=abc', 'after'],
        ['/v1/audit?action=Not%20An%20Action', 'action'],
        ['/v1/audit?target_type=API-Key', 'target_type'],
        ['/v1/audit?from=yesterday', 'from'],
        ['/v1/audit?from=2026-02-01&to=2026-01-01', 'from'],
        ['/v1/audit?organization_id=', 'organization_id'],
        ['/v1/audit?colour=blue', 'colour'],
        ['/v1/audit/export?limit=5', 'limit'],
        ['/v1/audit/export?to=2026-13-45', 'to'],
        ['/v1/audit/verify?action=api_key.created', 'action'],
      ];
      for (const [url, field] of cases) {
        const response = await get(alpha.secret, url);
        expect(response.statusCode, url).toBe(400);
        expect(response.json().error, url).toMatchObject({ code: 'INVALID_REQUEST', param: field });
      }
    });

    it('exports JSON lines, oldest first, with the same filters and scope', async () => {
      const exported = await exportAudit(testApp, alpha.secret);
      expect(exported.status).toBe(200);
      expect(exported.contentType).toMatch(/^application\/x-ndjson/);
      expect(exported.body.endsWith('\n')).toBe(true);
      expect(exported.entries.map((entry) => entry.sequence)).toEqual([1, 2, 3, 4, 5]);
      expect(exported.entries.every((entry) => entry.organization_id === alpha.organizationId)).toBe(true);
      const listed = await listAudit(testApp, alpha.secret, { limit: '100' });
      expect(exported.entries).toEqual([...listed.data].reverse());
      const budgets = await exportAudit(testApp, alpha.secret, { action: 'budget.*' });
      expect(budgets.entries.map((entry) => entry.action)).toEqual(['budget.created', 'budget.updated']);
      const everything = await exportAudit(testApp, testApp.adminKey);
      expect(everything.entries.length).toBe((await verifyAudit(testApp, testApp.adminKey)).entries);
    });

    it('keeps every chain unbroken under concurrent mutations', async () => {
      const before = await verifyAudit(testApp, testApp.adminKey);
      const responses = await Promise.all([
        ...Array.from({ length: 16 }, (_, index) =>
          testApp.app.inject({
            method: 'POST',
            url: budgetsOf(alpha.organizationId),
            headers: bearer(alpha.secret),
            payload: { scope: 'end_user', subject: `parallel-${index}`, limit_usd: 1, period: 'day' },
          }),
        ),
        ...Array.from({ length: 8 }, (_, index) =>
          testApp.app.inject({
            method: 'POST',
            url: `/v1/admin/organizations/${bravo.organizationId}/keys`,
            headers: bearer(bravo.secret),
            payload: { name: `parallel-${index}` },
          }),
        ),
      ]);
      expect(responses.map((response) => response.statusCode)).toEqual(Array(24).fill(201));
      expect(await verifyAudit(testApp, testApp.adminKey)).toEqual({
        object: 'audit.verification',
        valid: true,
        entries: before.entries + 24,
        first_broken: null,
      });
      for (const tenant of [alpha, bravo]) {
        const chain = (await exportAudit(testApp, tenant.secret)).entries;
        expect(chain.map((entry) => entry.sequence)).toEqual(chain.map((_, index) => index + 1));
        chain.forEach((entry, index) => {
          expect(entry.previous_hash).toBe(index === 0 ? null : chain[index - 1]!.hash);
        });
      }
    });

    it('is refused UPDATE and DELETE by the database', async () => {
      await expect(testApp.database.query(`UPDATE audit_log SET action = 'budget.deleted'`)).rejects.toThrow(
        /append-only/,
      );
      await expect(testApp.database.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
      await expect(testApp.database.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
      expect((await verifyAudit(testApp, testApp.adminKey)).valid).toBe(true);
    });

    it("shows a superuser's tampering: verify points at the changed row", async () => {
      const [target] = (await listAudit(testApp, alpha.secret, { action: 'budget.updated' })).data as [
        AuditEntryBody,
      ];
      await testApp.database.transaction(async (transaction) => {
        await transaction.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
        await transaction.query(`UPDATE audit_log SET after = '{"limit_usd":"7000"}'::jsonb WHERE id = $1`, [
          target.id,
        ]);
        await transaction.query('ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_append_only');
      });
      const broken = await verifyAudit(testApp, alpha.secret);
      expect(broken).toMatchObject({ valid: false, first_broken: target.id });
      expect(await verifyAudit(testApp, testApp.adminKey)).toMatchObject({
        valid: false,
        first_broken: target.id,
      });
      expect(await verifyAudit(testApp, bravo.secret)).toMatchObject({ valid: true, first_broken: null });
      expect(
        await verifyAudit(testApp, testApp.adminKey, { organization_id: bravo.organizationId }),
      ).toMatchObject({ valid: true });
    });
  });
}
