import { describe, expect, it } from 'vitest';
import type { Database } from '../database.ts';
import { isMigrated, migrateDatabase, pendingMigrations } from '../migrate.ts';
import { type Migration, migrations } from '../migrations/index.ts';
import type { DatabaseFactory, DatabaseUnderTest } from './database-under-test.ts';

const latest = migrations.at(-1)?.version ?? 0;
const allVersions = migrations.map((migration) => migration.version);

async function withFreshDatabase(
  factory: DatabaseFactory,
  test: (underTest: DatabaseUnderTest) => Promise<void>,
): Promise<void> {
  const underTest = await factory();
  try {
    await test(underTest);
  } finally {
    await underTest.cleanup();
  }
}

async function appliedRows(database: Database): Promise<{ version: number; name: string }[]> {
  const result = await database.query<{ version: number; name: string }>(
    'SELECT version, name FROM schema_migrations ORDER BY version',
  );
  return result.rows;
}

/** Migrations: from empty, idempotent, concurrent, failing, and a schema newer than the code. */
export function describeMigrationContract(factory: DatabaseFactory): void {
  describe('migrations', () => {
    it('apply from an empty database and report what they did', async () => {
      await withFreshDatabase(factory, async ({ database }) => {
        expect(await isMigrated(database)).toBe(false);
        expect((await pendingMigrations(database)).map((migration) => migration.version)).toEqual(
          allVersions,
        );

        const outcome = await migrateDatabase(database);

        expect(outcome).toEqual({ applied: allVersions, current: latest });
        expect(await isMigrated(database)).toBe(true);
        expect(await pendingMigrations(database)).toEqual([]);
        expect(await appliedRows(database)).toEqual(
          migrations.map((migration) => ({ version: migration.version, name: migration.name })),
        );
        const organizations = await database.query('SELECT count(*)::int AS count FROM organizations');
        expect(organizations.rows).toEqual([{ count: 0 }]);
      });
    });

    it('are idempotent: a second run applies nothing', async () => {
      await withFreshDatabase(factory, async ({ database }) => {
        await migrateDatabase(database);
        const second = await migrateDatabase(database);
        expect(second).toEqual({ applied: [], current: latest });
        expect(await appliedRows(database)).toHaveLength(migrations.length);
      });
    });

    it('apply each migration exactly once when four runs start at once', async () => {
      await withFreshDatabase(factory, async ({ database, openAnother }) => {
        const others = openAnother ? await Promise.all([openAnother(), openAnother(), openAnother()]) : [];
        const databases =
          others.length > 0 ? [database, ...others] : [database, database, database, database];
        try {
          const outcomes = await Promise.all(databases.map((each) => migrateDatabase(each)));
          const appliedEverywhere = outcomes.flatMap((outcome) => outcome.applied).sort((a, b) => a - b);
          expect(appliedEverywhere).toEqual(allVersions);
          expect(outcomes.every((outcome) => outcome.current === latest)).toBe(true);
          expect(await appliedRows(database)).toHaveLength(migrations.length);
        } finally {
          await Promise.all(others.map((other) => other.close()));
        }
      });
    });

    it('run each migration in its own transaction: a failing one leaves no trace, earlier ones stay', async () => {
      await withFreshDatabase(factory, async ({ database }) => {
        const scripted: Migration[] = [
          {
            version: 1,
            name: 'first',
            sql: 'CREATE TABLE first_table (id int); CREATE TABLE second_table (id int);',
          },
          {
            version: 2,
            name: 'broken',
            sql: 'CREATE TABLE third_table (id int); SELECT * FROM no_such_table;',
          },
        ];
        await expect(migrateDatabase(database, scripted)).rejects.toMatchObject({ code: '42P01' });
        expect(await appliedRows(database)).toEqual([{ version: 1, name: 'first' }]);
        const tables = await database.query<{ name: string | null }>(
          `SELECT to_regclass('second_table')::text AS name UNION ALL SELECT to_regclass('third_table')::text`,
        );
        expect(tables.rows).toEqual([{ name: 'second_table' }, { name: null }]);
        expect((await pendingMigrations(database, scripted)).map((migration) => migration.version)).toEqual([
          2,
        ]);
      });
    });

    it('refuse a database migrated by newer code, naming both versions', async () => {
      await withFreshDatabase(factory, async ({ database }) => {
        await migrateDatabase(database);
        await database.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
          9999,
          'future',
        ]);
        const failure = migrateDatabase(database);
        await expect(failure).rejects.toThrow(/version 9999/);
        await expect(migrateDatabase(database)).rejects.toThrow(
          new RegExp(`migration is version ${latest}\\b`),
        );
        expect(await isMigrated(database)).toBe(true);
      });
    });

    it('refuse a migration list whose versions do not increase', async () => {
      await withFreshDatabase(factory, async ({ database }) => {
        const unordered: Migration[] = [
          { version: 2, name: 'b', sql: 'SELECT 1' },
          { version: 1, name: 'a', sql: 'SELECT 1' },
        ];
        await expect(migrateDatabase(database, unordered)).rejects.toThrow(/increasing/);
      });
    });
  });
}
