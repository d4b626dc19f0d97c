import pg from 'pg';
import { applyScopeParameters, applyScopeStatement, ownerScope, type ScopeSettings } from './access-scope.ts';
import type { Database, Queryable, QueryResult } from './database.ts';
import {
  abortedTransactionError,
  connectionFailureCode,
  DatabaseError,
  isServerError,
  toDatabaseError,
} from './database-error.ts';
import { createLifecycle } from './lifecycle.ts';
import { toParameterTexts } from './parameters.ts';
import { describePostgresTarget, type PostgresTarget, parsePostgresUrl } from './postgres-url.ts';
import { scopedDatabase, scopeSwitchError } from './scoped-views.ts';
import { createTransactionScope } from './transaction-scope.ts';
import { arrayParsers, elementParsers } from './type-parsers.ts';

export interface PostgresDatabaseOptions {
  /** postgres:// or postgresql:// URL. */
  url: string;
  /** Most connections the pool opens; default 10. */
  poolSize?: number;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
  /** How long to wait for a connection before failing; default 10 s. */
  connectionTimeoutMs?: number;
  /**
   * Called when a pooled connection fails outside any statement (server restart, network drop);
   * the pool replaces it. Default: ignored, so such errors never crash the process.
   */
  onConnectionError?: (error: Error) => void;
}

/** The SQLSTATE for a connection lost while in use. */
const connectionLostCode = '08006';

/**
 * why: type parsers live on this pool's config, not on the process-wide `pg.types`, so two pools
 * (or another library using pg) never see each other's parsing.
 */
const typeOverrides = new Map([...elementParsers, ...arrayParsers]);
const types: pg.CustomTypesConfig = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    typeOverrides.get(oid) ?? pg.types.getTypeParser(oid, format),
} as pg.CustomTypesConfig;

function connectError(target: PostgresTarget, error: unknown): DatabaseError {
  const reason = error instanceof Error ? error.message : String(error);
  return new DatabaseError(`Cannot connect to PostgreSQL at ${describePostgresTarget(target)}: ${reason}`, {
    code: isServerError(error) ? error.code : connectionFailureCode,
    cause: error,
  });
}

/**
 * A server error leaves the connection usable unless it is a connection exception (class 08) or an
 * operator intervention that ends the session (57P…); anything not from the server is taken as a
 * broken connection. why: SQLSTATE, not the severity text, which the server may localise.
 */
function leavesConnectionUsable(error: unknown): boolean {
  return isServerError(error) && !error.code.startsWith('08') && !error.code.startsWith('57P');
}

function statementError(target: PostgresTarget, error: unknown): unknown {
  if (isServerError(error) || !(error instanceof Error)) return toDatabaseError(error);
  return new DatabaseError(
    `Lost the connection to PostgreSQL at ${describePostgresTarget(target)}: ${error.message}`,
    {
      code: connectionLostCode,
      cause: error,
    },
  );
}

async function execute<Row extends object>(
  client: pg.ClientBase,
  sql: string,
  texts: (string | null)[] | undefined,
): Promise<QueryResult<Row>> {
  // why: with no values node-postgres uses the simple protocol, where a script of several statements
  // yields one result per statement; like PGlite we return the last.
  const outcome: pg.QueryResult | pg.QueryResult[] =
    texts === undefined ? await client.query(sql) : await client.query(sql, texts);
  const result = Array.isArray(outcome) ? outcome.at(-1) : outcome;
  return { rows: (result?.rows ?? []) as Row[], rowCount: result?.rowCount ?? 0 };
}

function parameterTexts(params: readonly unknown[] | undefined): (string | null)[] | undefined {
  return params === undefined || params.length === 0 ? undefined : toParameterTexts(params);
}

/**
 * Connects to PostgreSQL through a node-postgres pool as a {@link Database}. Sessions run in UTC.
 * Connections are opened lazily; call `ping()` to find out at once whether the server is reachable.
 */
export function createPostgresDatabase(options: PostgresDatabaseOptions): Database {
  const target = parsePostgresUrl(options.url);
  const reportConnectionError = options.onConnectionError ?? (() => {});
  const poolSize = options.poolSize ?? 10;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: poolSize,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
    keepAlive: true,
    // why: the result parsers read Postgres's text output, so the session pins the formats they expect.
    options: '-c TimeZone=UTC -c DateStyle=ISO,MDY -c IntervalStyle=postgres',
    types,
    ...(options.applicationName === undefined ? {} : { application_name: options.applicationName }),
  });
  // why: a client that fails while checked out (e.g. mid-transaction, awaiting caller code) emits
  // 'error' on itself, and an 'error' event without a listener crashes Node. Idle clients are
  // reported here too; the pool's own 'error' then needs no second report.
  pool.on('connect', (client) => client.on('error', reportConnectionError));
  pool.on('error', () => {});

  const lifecycle = createLifecycle(() => pool.end());

  /** The scope each pooled connection is in; a new connection is its user's own ('owner'). */
  const appliedScopes = new WeakMap<pg.PoolClient, string>();

  async function acquire(settings: ScopeSettings): Promise<pg.PoolClient> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw connectError(target, error);
    }
    if ((appliedScopes.get(client) ?? 'owner') === settings.key) return client;
    try {
      // why: session-level, before any BEGIN, so a rolled-back transaction cannot undo it; each
      // checkout compares, so a connection never carries one organisation's scope into another's work.
      await client.query(applyScopeStatement(false), applyScopeParameters(settings));
      appliedScopes.set(client, settings.key);
      return client;
    } catch (error) {
      client.release(!leavesConnectionUsable(error));
      throw scopeSwitchError(statementError(target, error));
    }
  }

  async function transaction<T>(
    settings: ScopeSettings,
    work: (transaction: Queryable) => Promise<T>,
  ): Promise<T> {
    const client = await acquire(settings);
    let usable = true;
    try {
      try {
        await client.query('BEGIN');
      } catch (error) {
        usable = leavesConnectionUsable(error);
        throw statementError(target, error);
      }
      const scope = createTransactionScope(async (sql, params) => {
        const texts = parameterTexts(params);
        try {
          return await execute(client, sql, texts);
        } catch (error) {
          throw statementError(target, error);
        }
      });
      let result: T;
      try {
        result = await work(scope.queryable);
      } catch (error) {
        scope.end();
        await client.query('ROLLBACK').catch(() => {
          usable = false;
        });
        throw error;
      }
      scope.end();
      if (scope.aborted) {
        await client.query('ROLLBACK').catch(() => {
          usable = false;
        });
        throw abortedTransactionError();
      }
      let commit: pg.QueryResult;
      try {
        commit = await client.query('COMMIT');
      } catch (error) {
        usable = leavesConnectionUsable(error);
        throw statementError(target, error);
      }
      // why: Postgres answers COMMIT of an aborted transaction with ROLLBACK instead of an error.
      if (commit.command === 'ROLLBACK') throw abortedTransactionError();
      return result;
    } finally {
      client.release(!usable);
    }
  }

  return scopedDatabase(
    {
      backend: 'postgres',
      singleProcess: false,
      concurrentStatements: 4,
      query<Row extends object>(
        settings: ScopeSettings,
        sql: string,
        params: readonly unknown[] | undefined,
      ) {
        return lifecycle.run(async () => {
          const texts = parameterTexts(params);
          const client = await acquire(settings);
          let usable = true;
          try {
            return await execute<Row>(client, sql, texts);
          } catch (error) {
            usable = leavesConnectionUsable(error);
            throw statementError(target, error);
          } finally {
            client.release(!usable);
          }
        });
      },
      transaction<T>(settings: ScopeSettings, work: (transaction: Queryable) => Promise<T>) {
        return lifecycle.run(() => transaction(settings, work));
      },
      connections: () => ({
        total: pool.totalCount,
        idle: pool.idleCount,
        waiting: pool.waitingCount,
        maximum: poolSize,
      }),
      close: () => lifecycle.close(),
    },
    ownerScope,
  );
}
