import { afterAll, beforeAll } from 'vitest';
import type { Database } from '../database.ts';
import { migrateDatabase } from '../migrate.ts';

/** A fresh, empty store for one contract test or group. */
export interface DatabaseUnderTest {
  database: Database;
  /** Closes the database and removes whatever the factory created. */
  cleanup: () => Promise<void>;
  /**
   * Opens another Database on the same store, as a second process would; absent where the store has
   * a single owner (PGlite), in which case concurrency is exercised through the one instance.
   */
  openAnother?: () => Promise<Database>;
}

/** Creates a {@link DatabaseUnderTest}; called once per group or per test that needs an empty store. */
export type DatabaseFactory = () => Promise<DatabaseUnderTest>;

/**
 * Opens one migrated database for the describe block it is called in; the getter is valid inside
 * tests and hooks.
 */
export function useMigratedDatabase(factory: DatabaseFactory): () => Database {
  let underTest: DatabaseUnderTest | undefined;
  beforeAll(async () => {
    underTest = await factory();
    await migrateDatabase(underTest.database);
  });
  afterAll(async () => {
    await underTest?.cleanup();
  });
  return () => {
    if (!underTest) throw new Error('The database is opened in beforeAll; use it inside a test.');
    return underTest.database;
  };
}

let tableCounter = 0;

/** A table name no other test in this process uses, so tests can share one database. */
export function uniqueTableName(prefix: string): string {
  tableCounter += 1;
  return `contract_${prefix}_${tableCounter}`;
}
