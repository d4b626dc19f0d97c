import { createTemporaryDatabase, postgresAvailable } from '../../../test/support/services.ts';
import {
  createPostgresDatabase,
  type Database,
  migrateDatabase,
  openDatabase,
} from '../../storage/db/index.ts';

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
  const backends: DatabaseBackend[] = [
    {
      name: 'PGlite',
      async open() {
        const database = await prepared(await openDatabase({ dataDirectory: 'memory://' }));
        return { database, close: () => database.close() };
      },
    },
  ];
  if (await postgresAvailable()) {
    backends.push({
      name: 'PostgreSQL',
      async open() {
        const temporary = await createTemporaryDatabase();
        const database = await prepared(createPostgresDatabase({ url: temporary.url, poolSize: 4 }));
        return {
          database,
          async close() {
            await database.close();
            await temporary.drop();
          },
        };
      },
    });
  }
  return backends;
}
