import type { Database } from './database.ts';
import { createPgliteDatabase } from './pglite-database.ts';
import { createPostgresDatabase } from './postgres-database.ts';
import { parsePostgresUrl } from './postgres-url.ts';

/** The data directory that keeps the embedded database in memory (tests, demos). */
export const inMemoryDataDirectory = 'memory://';

export interface OpenDatabaseOptions {
  /** DATABASE_URL: when set, PostgreSQL; it must start with postgres:// or postgresql://. */
  databaseUrl?: string | undefined;
  /** Where embedded PGlite keeps its files when no databaseUrl is set; 'memory://' for in memory. */
  dataDirectory: string;
  /** Loads pgvector into PGlite (PostgreSQL needs the extension installed on the server). */
  extensions?: 'vector';
  /** PostgreSQL pool size; default 10. */
  poolSize?: number;
  /** PostgreSQL application_name. */
  applicationName?: string;
  /** Receives errors of idle PostgreSQL connections, which are otherwise ignored. */
  onConnectionError?: (error: Error) => void;
}

/**
 * Opens the relational store the configuration asks for: PostgreSQL when `databaseUrl` is set,
 * otherwise embedded PGlite. For PostgreSQL it checks the connection at once, so a wrong host or
 * password fails at start-up with a message naming host, port and database (never the password).
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.databaseUrl !== undefined && options.databaseUrl !== '') {
    parsePostgresUrl(options.databaseUrl);
    const database = createPostgresDatabase({
      url: options.databaseUrl,
      ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
      ...(options.applicationName === undefined ? {} : { applicationName: options.applicationName }),
      ...(options.onConnectionError === undefined ? {} : { onConnectionError: options.onConnectionError }),
    });
    try {
      await database.ping();
    } catch (error) {
      await database.close();
      throw error;
    }
    return database;
  }
  return createPgliteDatabase({
    ...(options.dataDirectory === inMemoryDataDirectory ? {} : { dataDirectory: options.dataDirectory }),
    ...(options.extensions === undefined ? {} : { extensions: options.extensions }),
  });
}
