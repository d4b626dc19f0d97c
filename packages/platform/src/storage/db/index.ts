export type { ConnectionCounts, Database, Queryable, QueryResult } from './database.ts';
export { abortedTransactionCode, connectionFailureCode, DatabaseError } from './database-error.ts';
export { isMigrated, type MigrationOutcome, migrateDatabase, pendingMigrations } from './migrate.ts';
export { type Migration, migrations } from './migrations/index.ts';
export { inMemoryDataDirectory, type OpenDatabaseOptions, openDatabase } from './open-database.ts';
export { toParameterText } from './parameters.ts';
export { createPgliteDatabase, type PgliteDatabaseOptions } from './pglite-database.ts';
export { createPostgresDatabase, type PostgresDatabaseOptions } from './postgres-database.ts';
