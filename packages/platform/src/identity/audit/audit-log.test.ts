import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTemporaryDatabase,
  postgresAvailable,
  type TemporaryDatabase,
} from '../../../test/support/services.ts';
import { type Database, migrateDatabase, openDatabase, type Queryable } from '../../storage/db/index.ts';
import { createManualClock } from '../../support/index.ts';
import type { ApiKeyRole, AuthContext } from '../../tenancy/index.ts';
import { attributionOf } from './audit-actor.ts';
import { createAuditLog } from './audit-log.ts';
import type { AuditEntry, AuditEntryInput } from './audit-types.ts';

/** The audit log's store on both backends: chaining, concurrency, refusals, tampering, scoped reads. */
const usePostgres = await postgresAvailable();

interface Backend {
  name: string;
  available: boolean;
  open(): Promise<{ database: Database; cleanup(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'PGlite',
    available: true,
    async open() {
      const database = await openDatabase({ dataDirectory: 'memory://' });
      return { database, cleanup: () => database.close() };
    },
  },
  {
    name: 'PostgreSQL',
    available: usePostgres,
    async open() {
      const temporary: TemporaryDatabase = await createTemporaryDatabase();
      const database = await openDatabase({ databaseUrl: temporary.url, dataDirectory: 'memory://' });
      return {
        database,
        async cleanup() {
          await database.close();
          await temporary.drop();
        },
      };
    },
  },
];

function callerFor(
  role: ApiKeyRole,
  organizationId: string,
  apiKeyId = `key_${organizationId}`,
): AuthContext {
  const limits = { requestsPerMinute: null, tokensPerMinute: null, concurrentRequests: null };
  return {
    organizationId,
    principal: 'api_key',
    apiKeyId,
    keyName: 'test',
    role,
    scopes: null,
    userId: null,
    teamId: null,
    allowedModels: null,
    expiresAt: null,
    plan: null,
    organizationRateLimits: limits,
    keyRateLimits: limits,
    teamRateLimits: limits,
    origin: { clientAddress: '203.0.113.7', requestId: `req_${apiKeyId}` },
  };
}

for (const backend of backends) {
  describe.runIf(backend.available)(`audit log on ${backend.name}`, () => {
    let database: Database;
    let cleanup: () => Promise<void>;
    const clock = createManualClock(Date.UTC(2026, 4, 1, 12, 0, 0, 250));
    const platformAdmin = callerFor('platform_admin', 'org_root');
    const alphaAdmin = callerFor('admin', 'org_alpha');
    const bravoAdmin = callerFor('admin', 'org_bravo');
    let audit: ReturnType<typeof createAuditLog>;

    const entryBy = (caller: AuthContext, overrides: Partial<AuditEntryInput> = {}): AuditEntryInput => ({
      ...attributionOf(caller),
      organizationId: caller.organizationId,
      action: 'budget.updated',
      target: { type: 'budget', id: 'bud_1' },
      before: { limit_usd: '10' },
      after: { limit_usd: '20' },
      ...overrides,
    });
    const record = (entry: AuditEntryInput) =>
      database.transaction((transaction) => audit.record(transaction, entry));
    /** Every entry the caller may export, leaving out the platform admin's own records of exporting. */
    const everything = async (caller: AuthContext = platformAdmin) => {
      const entries: AuditEntry[] = [];
      for await (const entry of audit.export(caller, {})) {
        if (entry.action !== 'platform.cross_organization_read') entries.push(entry);
      }
      return entries;
    };

    beforeAll(async () => {
      ({ database, cleanup } = await backend.open());
      await migrateDatabase(database);
      audit = createAuditLog({ database, clock });
    });
    afterAll(async () => {
      await cleanup?.();
    });

    it('chains the entries of one organisation: sequence, previous hash, hash', async () => {
      const first = await record(entryBy(alphaAdmin));
      clock.advance(1000);
      const second = await record(entryBy(alphaAdmin, { action: 'budget.deleted' }));
      expect(first).toMatchObject({
        chainKey: 'org_alpha',
        sequence: 1,
        previousHash: null,
        actor: { type: 'api_key', id: 'key_org_alpha', organizationId: 'org_alpha' },
        clientAddress: '203.0.113.7',
        requestId: 'req_key_org_alpha',
        createdAt: new Date(Date.UTC(2026, 4, 1, 12, 0, 0, 250)),
      });
      expect(second).toMatchObject({ chainKey: 'org_alpha', sequence: 2, previousHash: first.hash });
      expect(Number(second.id)).toBeGreaterThan(Number(first.id));
      const listed = await audit.list(alphaAdmin, {}, { limit: 10 });
      expect(listed).toEqual([second, first]);
      expect(await audit.verify(alphaAdmin)).toEqual({ valid: true, entries: 2, firstBroken: null });
    });

    it('keeps one chain per organisation and a platform chain for entries about none', async () => {
      const bravo = await record(entryBy(bravoAdmin));
      const plan = await record(
        entryBy(platformAdmin, {
          organizationId: null,
          action: 'plan.created',
          target: { type: 'plan', id: 'gold' },
        }),
      );
      expect(bravo).toMatchObject({ chainKey: 'org_bravo', sequence: 1, previousHash: null });
      expect(plan).toMatchObject({ chainKey: 'platform', sequence: 1, organizationId: null });
      expect(await audit.verify(platformAdmin)).toMatchObject({ valid: true, firstBroken: null });
    });

    it('writes nothing when the transaction that records rolls back', async () => {
      const before = (await everything()).length;
      await expect(
        database.transaction(async (transaction) => {
          await audit.record(transaction, entryBy(alphaAdmin, { action: 'api_key.revoked' }));
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      expect((await everything()).length).toBe(before);
      expect(await audit.verify(platformAdmin)).toMatchObject({ valid: true });
    });

    it("records the platform admin's export of every chain on the platform chain, and no organisation's own", async () => {
      const reads = async () => {
        const found: AuditEntry[] = [];
        for await (const entry of audit.export(platformAdmin, {
          action: 'platform.cross_organization_read',
        })) {
          found.push(entry);
        }
        return found;
      };
      const before = (await reads()).length;
      for await (const _entry of audit.export(alphaAdmin, {})) {
        // an organisation reading its own chain is not a cross-organisation read
      }
      const after = await reads();
      // The second `reads()` call's own record is the one added (the first's was counted before).
      expect(after.length).toBe(before + 1);
      expect(after.at(-1)).toMatchObject({
        chainKey: 'platform',
        organizationId: null,
        action: 'platform.cross_organization_read',
        target: { type: 'platform', id: 'audit_log.export' },
        actor: { type: 'api_key', id: platformAdmin.apiKeyId },
      });
    });

    it('stores summaries without secrets', async () => {
      const entry = await record(
        entryBy(alphaAdmin, {
          action: 'mcp_server.created',
          target: { type: 'mcp_server', id: 'tools' },
          before: null,
          after: { name: 'tools', headers: { Authorization: 'Bearer very-secret' }, secret: 'shh-secret' },
        }),
      );
      const stored = JSON.stringify(await everything());
      expect(stored).not.toContain('very-secret');
      expect(stored).not.toContain('shh-secret');
      expect(entry.after).toEqual({
        name: 'tools',
        headers: { Authorization: '[redacted]' },
        secret: '[redacted]',
      });
    });

    it('keeps one unbroken chain under concurrent appends', async () => {
      const organizationId = 'org_concurrent';
      const caller = callerFor('admin', organizationId);
      await Promise.all(
        Array.from({ length: 24 }, (_, index) =>
          database.transaction(async (transaction: Queryable) => {
            // why: a statement before the append widens the window in which two could race.
            await transaction.query('SELECT pg_sleep(0.005)');
            return audit.record(
              transaction,
              entryBy(caller, { target: { type: 'budget', id: `bud_${index}` } }),
            );
          }),
        ),
      );
      const entries = await audit.list(caller, {}, { limit: 100 });
      expect(entries.map((entry) => entry.sequence).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 24 }, (_, index) => index + 1),
      );
      expect(await audit.verify(caller)).toEqual({ valid: true, entries: 24, firstBroken: null });
    });

    it('refuses UPDATE, DELETE and TRUNCATE, even of no rows', async () => {
      const statements = [
        `UPDATE audit_log SET after = '{"limit_usd":"99"}'::jsonb`,
        `UPDATE audit_log SET action = 'x.y' WHERE false`,
        'DELETE FROM audit_log',
        `DELETE FROM audit_log WHERE chain_key = 'nothing'`,
        'TRUNCATE audit_log',
      ];
      for (const statement of statements) {
        await expect(database.query(statement), statement).rejects.toThrow(/append-only/);
      }
      expect(await audit.verify(platformAdmin)).toMatchObject({ valid: true });
    });

    it('shows a superuser tampering with a row: verify names that row', async () => {
      const target = await record(entryBy(alphaAdmin, { after: { limit_usd: '30' } }));
      await record(entryBy(alphaAdmin, { after: { limit_usd: '40' } }));
      if (backend.name === 'PostgreSQL') {
        // Replica mode skips ordinary triggers; this one is ENABLE ALWAYS, so it still refuses.
        await expect(
          database.transaction(async (transaction) => {
            await transaction.query('SET LOCAL session_replication_role = replica');
            await transaction.query(`UPDATE audit_log SET after = '{}'::jsonb WHERE id = $1`, [target.id]);
          }),
        ).rejects.toThrow(/append-only/);
      }
      await database.transaction(async (transaction) => {
        await transaction.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
        await transaction.query(`UPDATE audit_log SET after = '{"limit_usd":"3000"}'::jsonb WHERE id = $1`, [
          target.id,
        ]);
        await transaction.query('ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_append_only');
      });
      const verification = await audit.verify(alphaAdmin);
      expect(verification).toMatchObject({ valid: false, firstBroken: target.id });
      expect(await audit.verify(bravoAdmin)).toMatchObject({ valid: true, firstBroken: null });
      expect(await audit.verify(platformAdmin)).toMatchObject({ valid: false, firstBroken: target.id });
      // The trigger is back: the log refuses changes again.
      await expect(database.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    });

    it('scopes reads: an admin its own organisation, the platform admin any or all, members nothing', async () => {
      const alpha = await audit.list(alphaAdmin, {}, { limit: 100 });
      expect(alpha.length).toBeGreaterThan(0);
      expect(alpha.every((entry) => entry.organizationId === 'org_alpha')).toBe(true);
      const bravo = await audit.list(bravoAdmin, {}, { limit: 100 });
      expect(bravo.every((entry) => entry.organizationId === 'org_bravo')).toBe(true);
      await expect(
        audit.list(alphaAdmin, { organizationId: 'org_bravo' }, { limit: 10 }),
      ).rejects.toMatchObject({
        code: 'PERMISSION_DENIED',
      });
      expect(() => audit.export(alphaAdmin, { organizationId: 'org_bravo' })).toThrow(/may not/);
      await expect(audit.verify(alphaAdmin, { organizationId: 'org_bravo' })).rejects.toMatchObject({
        status: 403,
      });
      const member = callerFor('developer', 'org_alpha');
      await expect(audit.list(member, {}, { limit: 10 })).rejects.toMatchObject({
        code: 'PERMISSION_DENIED',
      });
      await expect(audit.verify(member)).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
      const all = await audit.list(platformAdmin, {}, { limit: 100 });
      expect(new Set(all.map((entry) => entry.chainKey))).toEqual(
        new Set(['org_alpha', 'org_bravo', 'platform', 'org_concurrent']),
      );
      const onlyBravo = await audit.list(platformAdmin, { organizationId: 'org_bravo' }, { limit: 100 });
      expect(onlyBravo).toEqual(bravo);
    });

    it('filters by action (exact or prefix), actor, target and time, and pages by id', async () => {
      const organizationId = 'org_filters';
      const caller = callerFor('admin', organizationId, 'key_filters');
      const other = callerFor('admin', organizationId, 'key_other');
      const setClock = (time: number) => clock.advance(time - clock.now());
      setClock(Date.UTC(2026, 5, 1));
      await record(entryBy(caller, { action: 'api_key.created', target: { type: 'api_key', id: 'key_x' } }));
      setClock(Date.UTC(2026, 5, 2));
      await record(entryBy(other, { action: 'api_key.revoked', target: { type: 'api_key', id: 'key_x' } }));
      setClock(Date.UTC(2026, 5, 3));
      await record(entryBy(caller, { action: 'budget.created', target: { type: 'budget', id: 'bud_9' } }));
      const actions = async (filters: Parameters<typeof audit.list>[1]) =>
        (await audit.list(caller, filters, { limit: 100 })).map((entry) => entry.action);
      expect(await actions({})).toEqual(['budget.created', 'api_key.revoked', 'api_key.created']);
      expect(await actions({ action: 'api_key.revoked' })).toEqual(['api_key.revoked']);
      expect(await actions({ action: 'api_key.*' })).toEqual(['api_key.revoked', 'api_key.created']);
      expect(await actions({ actorId: 'key_other' })).toEqual(['api_key.revoked']);
      expect(await actions({ targetType: 'api_key', targetId: 'key_x' })).toEqual([
        'api_key.revoked',
        'api_key.created',
      ]);
      expect(
        await actions({ from: new Date(Date.UTC(2026, 5, 2)), to: new Date(Date.UTC(2026, 5, 3)) }),
      ).toEqual(['api_key.revoked']);
      const firstPage = await audit.list(caller, {}, { limit: 2 });
      const secondPage = await audit.list(caller, {}, { limit: 2, after: firstPage[1]!.id });
      expect([...firstPage, ...secondPage].map((entry) => entry.action)).toEqual([
        'budget.created',
        'api_key.revoked',
        'api_key.created',
      ]);
      const exported: string[] = [];
      for await (const entry of audit.export(caller, { action: 'api_key.*' })) exported.push(entry.action);
      expect(exported).toEqual(['api_key.created', 'api_key.revoked']);
    });
  });
}
