import {
  type AccessScope,
  isolatedScope,
  organizationScope,
  platformScope,
  type ScopeSettings,
  scopeSwitchProblem,
  settingsOf,
} from './access-scope.ts';
import type { ConnectionCounts, Database, Queryable, QueryResult } from './database.ts';
import { DatabaseError } from './database-error.ts';

/** What a backend provides once; every scoped handle shares it. */
export interface ScopedBackend {
  readonly backend: Database['backend'];
  readonly singleProcess: boolean;
  readonly concurrentStatements: number;
  query<Row extends object>(
    settings: ScopeSettings,
    sql: string,
    params: readonly unknown[] | undefined,
  ): Promise<QueryResult<Row>>;
  transaction<T>(settings: ScopeSettings, work: (transaction: Queryable) => Promise<T>): Promise<T>;
  connections(): ConnectionCounts;
  close(): Promise<void>;
}

/** Builds the handle for one scope; the handles it derives share the backend's connections. */
export function scopedDatabase(backend: ScopedBackend, scope: AccessScope): Database {
  const settings = settingsOf(scope);
  const database: Database = {
    backend: backend.backend,
    singleProcess: backend.singleProcess,
    concurrentStatements: backend.concurrentStatements,
    scope,
    query<Row extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]) {
      return backend.query<Row>(settings, sql, params);
    },
    transaction<T>(work: (transaction: Queryable) => Promise<T>) {
      return backend.transaction(settings, work);
    },
    connections: () => backend.connections(),
    async ping() {
      await backend.query(settings, 'SELECT 1', undefined);
    },
    isolated: () => scopedDatabase(backend, isolatedScope),
    forOrganization: (organizationId) => scopedDatabase(backend, organizationScope(organizationId)),
    forPlatform: (reason) => scopedDatabase(backend, platformScope(reason)),
    close: () => backend.close(),
  };
  return database;
}

/** Rewords a failed switch to the restricted role so the operator knows what to run. */
export function scopeSwitchError(error: unknown): unknown {
  if (!(error instanceof DatabaseError)) return error;
  const problem = scopeSwitchProblem(error.code);
  if (problem === undefined) return error;
  return new DatabaseError(`${problem} (${error.message})`, { code: error.code, cause: error });
}
