import type { Database, Queryable } from './database.ts';
import { migrations as allMigrations, type Migration } from './migrations/index.ts';

/** What one run of {@link migrateDatabase} did. */
export interface MigrationOutcome {
  /** Versions this call applied, in order; empty when another process had applied them. */
  applied: number[];
  /** The schema version the database is at now. */
  current: number;
}

/**
 * An arbitrary constant naming "schema migrations" among advisory locks in one database.
 * Other code must not use it.
 */
const migrationLockKey = 7_104_312_905_251;

const createMigrationsTable = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

/*
 * why pg_advisory_xact_lock in each migration's transaction rather than a session lock around the
 * whole run: a transaction-scoped lock needs nothing beyond the Database port (a session lock would
 * need a dedicated connection outside the pool), is released by COMMIT/ROLLBACK or by the server
 * when a process dies mid-migration, and serialises each migration with its schema_migrations row.
 * A process that waited for the lock re-reads schema_migrations, so every version runs once.
 */
async function takeMigrationLock(transaction: Queryable): Promise<void> {
  await transaction.query(`SELECT pg_advisory_xact_lock(${migrationLockKey})`);
}

async function readAppliedVersions(queryable: Queryable): Promise<Set<number>> {
  const result = await queryable.query<{ version: number }>('SELECT version FROM schema_migrations');
  return new Set(result.rows.map((row) => row.version));
}

function latestVersion(list: readonly Migration[]): number {
  let previous = 0;
  for (const migration of list) {
    if (!Number.isInteger(migration.version) || migration.version <= previous) {
      throw new Error(
        `Migration versions must be increasing positive integers; ${migration.version} ('${migration.name}') follows ${previous}.`,
      );
    }
    previous = migration.version;
  }
  return previous;
}

function refuseNewerSchema(applied: Set<number>, latest: number): void {
  const newest = Math.max(0, ...applied);
  if (newest > latest) {
    throw new Error(
      `The database schema is at version ${newest}, but this build's newest migration is version ${latest}. ` +
        'A newer release has migrated this database; run that release (or a newer one) against it.',
    );
  }
}

/**
 * Brings the schema up to date: creates `schema_migrations` when absent, then applies each pending
 * migration in order, each in its own transaction with its `schema_migrations` row. Safe when several
 * processes start at once against one PostgreSQL. Refuses a database migrated by newer code.
 */
export async function migrateDatabase(
  database: Database,
  migrations: readonly Migration[] = allMigrations,
): Promise<MigrationOutcome> {
  const latest = latestVersion(migrations);
  const alreadyApplied = await database.transaction(async (transaction) => {
    await takeMigrationLock(transaction);
    await transaction.query(createMigrationsTable);
    return readAppliedVersions(transaction);
  });
  refuseNewerSchema(alreadyApplied, latest);

  const applied: number[] = [];
  for (const migration of migrations) {
    if (alreadyApplied.has(migration.version)) continue;
    const appliedHere = await database.transaction(async (transaction) => {
      await takeMigrationLock(transaction);
      const existing = await transaction.query('SELECT 1 FROM schema_migrations WHERE version = $1', [
        migration.version,
      ]);
      if (existing.rowCount > 0) return false;
      await transaction.query(migration.sql);
      await transaction.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (appliedHere) applied.push(migration.version);
  }
  return { applied, current: latest };
}

/** The migrations not yet applied, in order; all of them when the database has never been migrated. */
export async function pendingMigrations(
  database: Database,
  migrations: readonly Migration[] = allMigrations,
): Promise<Migration[]> {
  const table = await database.query<{ present: boolean }>(
    `SELECT to_regclass('schema_migrations') IS NOT NULL AS present`,
  );
  if (!table.rows[0]?.present) return [...migrations];
  const applied = await readAppliedVersions(database);
  return migrations.filter((migration) => !applied.has(migration.version));
}

/**
 * True when every migration this build knows is applied (for /readyz). A database migrated further
 * by a newer release still counts, so old replicas stay ready during a rolling deploy.
 */
export async function isMigrated(
  database: Database,
  migrations: readonly Migration[] = allMigrations,
): Promise<boolean> {
  return (await pendingMigrations(database, migrations)).length === 0;
}
