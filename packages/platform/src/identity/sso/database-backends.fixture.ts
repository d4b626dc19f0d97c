import { emptyDatabaseBackends } from '../../../test/support/database-backends.ts';
import { type Database, migrateDatabase } from '../../storage/db/index.ts';

export interface OpenedDatabase {
  database: Database;
  close(): Promise<void>;
}

export interface DatabaseBackend {
  name: string;
  /** A fresh, migrated database of this backend, with organisations `org_a` and `org_b` and users `user_1` and `user_2`. */
  open(): Promise<OpenedDatabase>;
}

async function prepared(database: Database): Promise<Database> {
  await migrateDatabase(database);
  await database.query(`INSERT INTO organizations (id, name) VALUES ('org_a', 'A'), ('org_b', 'B')`);
  await database.query(
    `INSERT INTO users (id, email) VALUES ('user_1', 'one@example.com'), ('user_2', 'two@example.com')`,
  );
  return database;
}

/**
 * PGlite always; PostgreSQL at TEST_DATABASE_URL when it answers (else its suites are skipped with
 * a loud notice, or fail under KIMI_REQUIRE_SERVICES=1).
 */
export async function databaseBackends(): Promise<DatabaseBackend[]> {
  return (await emptyDatabaseBackends()).map((backend) => ({
    name: backend.name,
    async open() {
      const opened = await backend.open();
      await prepared(opened.database);
      return opened;
    },
  }));
}
