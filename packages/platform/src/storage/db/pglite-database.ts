import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  type Extensions,
  type ParserOptions,
  PGlite,
  type Results,
  type SerializerOptions,
  type Transaction,
} from '@electric-sql/pglite';
import { applyScopeParameters, applyScopeStatement, ownerScope, type ScopeSettings } from './access-scope.ts';
import { lockDataDirectory } from './data-directory-lock.ts';
import type { Database, Queryable, QueryResult } from './database.ts';
import { abortedTransactionError, toDatabaseError } from './database-error.ts';
import { initializePgliteDirectory } from './initialize-pglite-directory.ts';
import { createLifecycle } from './lifecycle.ts';
import { toParameterTexts } from './parameters.ts';
import { scopedDatabase, scopeSwitchError } from './scoped-views.ts';
import { createTransactionScope, type TransactionScope } from './transaction-scope.ts';
import { elementParsers } from './type-parsers.ts';

export interface PgliteDatabaseOptions {
  /** Where the cluster lives on disk (created when missing); undefined keeps it in memory. */
  dataDirectory?: string;
  /** 'vector' loads pgvector, so that `CREATE EXTENSION vector` succeeds. */
  extensions?: 'vector';
}

type StatementTarget = Pick<Transaction, 'query' | 'exec'>;

/**
 * why: parameters are already Postgres text (see parameters.ts). PGlite would otherwise re-serialise
 * them by the type the server inferred, and it refuses a string for bool or a Date for text, where
 * node-postgres accepts both; passing text through keeps the two backends identical.
 */
const passTextThrough: SerializerOptions = new Proxy({}, { get: () => (value: string) => value });

const parsers: ParserOptions = Object.fromEntries(elementParsers);

function countRows(affectedRows: number, returnedRows: number): number {
  // why: PGlite counts only INSERT/UPDATE/DELETE/MERGE/COPY; node-postgres also counts SELECT rows.
  return affectedRows > 0 ? affectedRows : returnedRows;
}

function lastResult<Row extends object>(results: Results[]): QueryResult<Row> {
  const last = results.at(-1);
  if (!last) return { rows: [], rowCount: 0 };
  // why: in a multi-statement script PGlite's affectedRows is a running total over the statements.
  const previousTotal = results.at(-2)?.affectedRows ?? 0;
  const rows = last.rows as Row[];
  return { rows, rowCount: countRows((last.affectedRows ?? 0) - previousTotal, rows.length) };
}

async function runStatement<Row extends object>(
  target: StatementTarget,
  sql: string,
  params: readonly unknown[] | undefined,
): Promise<QueryResult<Row>> {
  try {
    // why: without parameters both backends use the simple protocol, which accepts several
    // statements (a migration script) and returns the last statement's result.
    if (params === undefined || params.length === 0) return lastResult<Row>(await target.exec(sql));
    const result = await target.query<Row>(sql, toParameterTexts(params), { serializers: passTextThrough });
    return { rows: result.rows, rowCount: countRows(result.affectedRows ?? 0, result.rows.length) };
  } catch (error) {
    throw toDatabaseError(error);
  }
}

async function loadExtensions(extensions: PgliteDatabaseOptions['extensions']): Promise<Extensions> {
  if (extensions !== 'vector') return {};
  const { vector } = await import('@electric-sql/pglite/vector');
  return { vector };
}

/**
 * Opens embedded Postgres (PGlite, WASM) as a {@link Database}: in memory, or on disk at
 * `dataDirectory`. PGlite has a single connection, so statements and transactions run one at a time;
 * inside `transaction(work)` use only the argument `work` receives: calling the database itself there
 * would wait for the transaction to end, so it rejects at once instead of hanging.
 */
export async function createPgliteDatabase(options: PgliteDatabaseOptions = {}): Promise<Database> {
  const dataDirectory = options.dataDirectory === undefined ? undefined : resolve(options.dataDirectory);
  if (dataDirectory !== undefined) await mkdir(dataDirectory, { recursive: true });
  const releaseLock = dataDirectory === undefined ? () => {} : lockDataDirectory(dataDirectory);
  let pglite: PGlite;
  try {
    if (dataDirectory !== undefined) await initializePgliteDirectory(dataDirectory);
    pglite = await PGlite.create({
      ...(dataDirectory === undefined ? {} : { dataDir: dataDirectory }),
      extensions: await loadExtensions(options.extensions),
      parsers,
    });
  } catch (error) {
    releaseLock();
    throw error;
  }
  // why: the result parsers read Postgres's text output, so the session pins the formats they expect.
  await pglite.exec(`SET TimeZone TO 'UTC'; SET DateStyle TO 'ISO, MDY'; SET IntervalStyle TO 'postgres'`);

  const lifecycle = createLifecycle(async () => {
    try {
      await pglite.close();
    } finally {
      releaseLock();
    }
  });
  const openTransactions = new AsyncLocalStorage<TransactionScope>();

  function refuseInsideTransaction(): void {
    if (openTransactions.getStore()?.ended === false) {
      throw new Error(
        'The database was called inside its own transaction callback. PGlite has one connection, so ' +
          'this would wait for the transaction forever; use the transaction argument instead.',
      );
    }
  }

  // why: PGlite has one session, so switching its scope and running the statement must not let
  // another caller's statement in between; this chain runs them one after the other.
  let appliedScope = 'owner';
  let previous: Promise<unknown> = Promise.resolve();
  /** Statements running or queued on the one session, for the connection metrics. */
  let pending = 0;
  function exclusive<T>(operation: () => Promise<T>): Promise<T> {
    pending += 1;
    const next = previous.then(operation, operation).finally(() => {
      pending -= 1;
    });
    previous = next.catch(() => {});
    return next;
  }
  async function enterScope(settings: ScopeSettings): Promise<void> {
    if (appliedScope === settings.key) return;
    try {
      await runStatement(pglite, applyScopeStatement(false), applyScopeParameters(settings));
    } catch (error) {
      throw scopeSwitchError(error);
    }
    appliedScope = settings.key;
  }

  return scopedDatabase(
    {
      backend: 'pglite',
      singleProcess: true,
      concurrentStatements: 1,
      connections: () => ({
        total: 1,
        idle: pending === 0 ? 1 : 0,
        waiting: Math.max(0, pending - 1),
        maximum: 1,
      }),
      query<Row extends object>(
        settings: ScopeSettings,
        sql: string,
        params: readonly unknown[] | undefined,
      ) {
        return lifecycle.run(async () => {
          refuseInsideTransaction();
          return exclusive(async () => {
            await enterScope(settings);
            return runStatement<Row>(pglite, sql, params);
          });
        });
      },
      transaction<T>(settings: ScopeSettings, work: (transaction: Queryable) => Promise<T>) {
        return lifecycle.run(async () => {
          refuseInsideTransaction();
          return exclusive(async () => {
            await enterScope(settings);
            try {
              return await pglite.transaction(async (pgliteTransaction) => {
                const scope = createTransactionScope((sql, params) =>
                  runStatement(pgliteTransaction, sql, params),
                );
                try {
                  const result = await openTransactions.run(scope, () => work(scope.queryable));
                  // why: PGlite would COMMIT an aborted transaction, which Postgres turns into a silent ROLLBACK.
                  if (scope.aborted) throw abortedTransactionError();
                  return result;
                } finally {
                  scope.end();
                  // why: on Node 20 an enabled AsyncLocalStorage installs promise hooks that tax every
                  // promise in the process (about a tenth of the request path's CPU). Transactions run
                  // one at a time here, so none needs it now; the next `run` enables it again.
                  openTransactions.disable();
                }
              });
            } catch (error) {
              throw toDatabaseError(error);
            }
          });
        });
      },
      close: () => lifecycle.close(),
    },
    ownerScope,
  );
}
