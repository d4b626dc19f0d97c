import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, DatabaseError, migrateDatabase } from '../src/storage/db/index.ts';
import { emptyDatabaseBackends } from './support/database-backends.ts';
import { seedTenantRows } from './support/tenant-rows.ts';

/** Tables that belong to no organisation: the platform's own catalogue and bookkeeping. */
const globalTables = new Set(['plans', 'schema_migrations']);

/** Whose row is it, for a table without an organization_id column. */
const rowOwnerOf: Record<string, string> = {
  organizations: 'id = $1',
  users: 'EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id AND m.organization_id = $1)',
  // why: reservations are the admission path's own bookkeeping; no organisation reads them.
  budget_reservations: '$1::text IS NULL',
};

interface TableFacts {
  name: string;
  rowLevelSecurity: boolean;
  policies: number;
  hasOrganizationColumn: boolean;
  /** A partition (of usage_records): it holds only its range's rows, so it may be empty. */
  isPartition: boolean;
}

async function tablesOf(owner: Database): Promise<TableFacts[]> {
  const result = await owner.query<{
    name: string;
    row_level_security: boolean;
    policies: number;
    has_organization_column: boolean;
    is_partition: boolean;
  }>(
    `SELECT c.relname AS name, c.relrowsecurity AS row_level_security,
            (SELECT count(*)::int4 FROM pg_policy p WHERE p.polrelid = c.oid) AS policies,
            EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'organization_id'
                      AND NOT a.attisdropped) AS has_organization_column,
            c.relispartition AS is_partition
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
      ORDER BY c.relname`,
  );
  return result.rows.map((row) => ({
    name: row.name,
    rowLevelSecurity: row.row_level_security,
    policies: row.policies,
    hasOrganizationColumn: row.has_organization_column,
    isPartition: row.is_partition,
  }));
}

function ownershipOf(table: TableFacts): string {
  if (table.hasOrganizationColumn) return 'organization_id = $1';
  const rule = rowOwnerOf[table.name];
  if (rule === undefined) throw new Error(`No rule says whose rows ${table.name} holds; add one above.`);
  return rule;
}

/** Rows of `table` that are `organizationId`'s and rows that are not, as `database` sees them. */
async function countRows(database: Database, table: TableFacts, organizationId: string) {
  const owned = ownershipOf(table);
  const result = await database.query<{ mine: number; others: number }>(
    `SELECT count(*) FILTER (WHERE ${owned})::int8 AS mine, count(*) FILTER (WHERE NOT (${owned}))::int8 AS others
       FROM ${table.name}`,
    [organizationId],
  );
  return result.rows[0]!;
}

const backends = await emptyDatabaseBackends('vector');

for (const backend of backends) {
  describe(`row-level security on ${backend.name}`, () => {
    let owner: Database;
    let close: () => Promise<void>;
    let tenantTables: TableFacts[];

    beforeAll(async () => {
      ({ database: owner, close } = await backend.open());
      await migrateDatabase(owner);
      await owner.transaction(async (transaction) => {
        await seedTenantRows(transaction, 'org_a');
        await seedTenantRows(transaction, 'org_b');
      });
      tenantTables = (await tablesOf(owner)).filter((table) => !globalTables.has(table.name));
    });
    afterAll(() => close());

    it('enables row-level security with policies on every table that is not global', async () => {
      const tables = await tablesOf(owner);
      expect(tables.length).toBeGreaterThan(20);
      const unprotected = tables
        .filter((table) => !globalTables.has(table.name))
        .filter((table) => !table.rowLevelSecurity || table.policies === 0)
        .map((table) => table.name);
      expect(unprotected).toEqual([]);
    });

    it('runs the platform as a role that can neither bypass row-level security nor own the tables', async () => {
      const role = await owner.query<{ rolsuper: boolean; rolbypassrls: boolean; rolcanlogin: boolean }>(
        `SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = 'kimi_platform'`,
      );
      expect(role.rows).toEqual([{ rolsuper: false, rolbypassrls: false, rolcanlogin: false }]);
      const who = await owner.forOrganization('org_a').query<{ current_user: string }>('SELECT current_user');
      expect(who.rows[0]!.current_user).toBe('kimi_platform');
      const owned = await owner.query<{ count: number }>(
        `SELECT count(*)::int8 AS count FROM pg_tables WHERE schemaname = current_schema() AND tableowner = 'kimi_platform'`,
      );
      expect(owned.rows[0]!.count).toBe(0);
    });

    it("shows a query without an organisation filter none of another organisation's rows, in every tenant table", async () => {
      const inA = owner.forOrganization('org_a');
      let partitionsWithOthersRows = 0;
      for (const table of tenantTables) {
        const everything = await countRows(owner, table, 'org_a');
        if (table.isPartition && everything.others > 0) partitionsWithOthersRows++;
        // The seed must give every tenant table rows of both organisations, or the check proves nothing.
        if (!table.isPartition) {
          expect(
            everything.others,
            `${table.name} has no rows of another organisation; seed it in tenant-rows.ts`,
          ).toBeGreaterThan(0);
        }
        const seen = await countRows(inA, table, 'org_a');
        expect({ table: table.name, ...seen }).toEqual({
          table: table.name,
          mine: everything.mine,
          others: 0,
        });
      }
      // A partition read directly is isolated by its own policies: the seeded month's proves it.
      expect(partitionsWithOthersRows).toBeGreaterThan(0);
    });

    it('shows an isolated handle no tenant rows at all, and the platform scope all of them', async () => {
      const isolated = owner.isolated();
      const platform = owner.forPlatform('tenant isolation test');
      for (const table of tenantTables) {
        const visible = await isolated.query<{ count: number }>(
          `SELECT count(*)::int8 AS count FROM ${table.name}`,
        );
        expect({ table: table.name, count: visible.rows[0]!.count }).toEqual({ table: table.name, count: 0 });
        const all = await owner.query<{ count: number }>(`SELECT count(*)::int8 AS count FROM ${table.name}`);
        const acrossOrganizations = await platform.query<{ count: number }>(
          `SELECT count(*)::int8 AS count FROM ${table.name}`,
        );
        expect(acrossOrganizations.rows[0]!.count).toBe(all.rows[0]!.count);
      }
    });

    it("changes only the organisation's own rows, and refuses a row written for another", async () => {
      const inA = owner.forOrganization('org_a');
      for (const table of tenantTables.filter((candidate) => candidate.hasOrganizationColumn)) {
        if (table.name === 'audit_log') continue;
        const everything = await countRows(owner, table, 'org_a');
        const updated = await inA.query(`UPDATE ${table.name} SET organization_id = organization_id`);
        expect({ table: table.name, updated: updated.rowCount }).toEqual({
          table: table.name,
          updated: everything.mine,
        });
      }
      await expect(
        inA.query(`INSERT INTO teams (id, organization_id, name) VALUES ('team_sneaky', 'org_b', 'sneaky')`),
      ).rejects.toThrow(/row-level security/);
      await expect(
        inA.query(`UPDATE teams SET organization_id = 'org_b' WHERE id = 'team_org_a'`),
      ).rejects.toThrow(/row-level security/);
      const deleted = await inA.query(`DELETE FROM team_members WHERE organization_id = 'org_b'`);
      expect(deleted.rowCount).toBe(0);
    });

    it('lets the platform role only read and append the audit log, whatever the scope', async () => {
      for (const database of [owner.forOrganization('org_a'), owner.forPlatform('tenant isolation test')]) {
        const refused = await database
          .query('UPDATE audit_log SET target_id = target_id')
          .catch((error) => error);
        expect(refused).toBeInstanceOf(DatabaseError);
        expect((refused as DatabaseError).code).toBe('42501');
        const deleting = await database.query('DELETE FROM audit_log').catch((error) => error);
        expect((deleting as DatabaseError).code).toBe('42501');
      }
      // The owner has the grant, and the trigger refuses it anyway.
      await expect(owner.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    });

    it('lets the platform role read the schema version but never change it', async () => {
      const platform = owner.forPlatform('tenant isolation test');
      const versions = await platform.query('SELECT version FROM schema_migrations');
      expect(versions.rowCount).toBeGreaterThan(10);
      const refused = await platform.query('DELETE FROM schema_migrations').catch((error) => error);
      expect((refused as DatabaseError).code).toBe('42501');
    });

    it('keeps each scope to its own statements when handles interleave', async () => {
      const inA = owner.forOrganization('org_a');
      const inB = owner.forOrganization('org_b');
      const reads = await Promise.all(
        Array.from({ length: 40 }, (_, index) =>
          (index % 2 === 0 ? inA : inB).query<{ id: string }>('SELECT id FROM organizations'),
        ),
      );
      reads.forEach((result, index) => {
        expect(result.rows.map((row) => row.id)).toEqual([index % 2 === 0 ? 'org_a' : 'org_b']);
      });
      const inTransaction = await inB.transaction(async (transaction) => {
        const rows = await transaction.query<{ id: string }>('SELECT id FROM organizations');
        return rows.rows.map((row) => row.id);
      });
      expect(inTransaction).toEqual(['org_b']);
      const afterwards = await owner.query('SELECT id FROM organizations');
      expect(afterwards.rowCount).toBe(2);
    });
  });
}
