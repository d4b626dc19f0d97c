import {
  createPostgresDatabase,
  type Database,
  type OpenDatabaseOptions,
  openDatabase,
} from '../../src/storage/db/index.ts';
import { createTemporaryDatabase, postgresAvailable } from './services.ts';

export interface EmptyDatabaseBackend {
  name: string;
  /** A fresh database of this backend, not migrated, and how to close (and drop) it. */
  open(): Promise<{ database: Database; close(): Promise<void> }>;
}

/**
 * PGlite in memory always; a temporary PostgreSQL database at TEST_DATABASE_URL when it answers
 * (else skipped with a loud notice, or a failure under KIMI_REQUIRE_SERVICES=1). For suites that
 * migrate themselves, e.g. to test a migration over data written by the schema before it.
 */
export async function emptyDatabaseBackends(
  pgliteExtensions?: OpenDatabaseOptions['extensions'],
): Promise<EmptyDatabaseBackend[]> {
  const backends: EmptyDatabaseBackend[] = [
    {
      name: 'PGlite',
      async open() {
        const database = await openDatabase({
          dataDirectory: 'memory://',
          ...(pgliteExtensions ? { extensions: pgliteExtensions } : {}),
        });
        return { database, close: () => database.close() };
      },
    },
  ];
  if (await postgresAvailable()) {
    backends.push({
      name: 'PostgreSQL',
      async open() {
        const temporary = await createTemporaryDatabase();
        const database = createPostgresDatabase({ url: temporary.url, poolSize: 4 });
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
