import type { Queryable, QueryResult } from './database.ts';
import { DatabaseError } from './database-error.ts';

/** Runs one statement on the transaction's connection; rejects with a DatabaseError on server errors. */
export type StatementRunner = <Row extends object>(
  sql: string,
  params: readonly unknown[] | undefined,
) => Promise<QueryResult<Row>>;

/** The state of one open transaction, shared by both backends. */
export interface TransactionScope {
  /** What the transaction callback receives. */
  readonly queryable: Queryable;
  /** True once the callback has settled; later statements reject instead of running elsewhere. */
  readonly ended: boolean;
  /**
   * True when the last statement failed on the server. Postgres then ignores everything until the
   * transaction ends, and COMMIT silently rolls back, so the caller must be told.
   */
  readonly aborted: boolean;
  end(): void;
}

/** Wraps a backend's statement runner with the bookkeeping every transaction needs. */
export function createTransactionScope(run: StatementRunner): TransactionScope {
  let ended = false;
  let aborted = false;
  const queryable: Queryable = {
    async query<Row extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]) {
      if (ended) {
        throw new Error(
          'This transaction has already ended; run statements inside the transaction callback, or on the database.',
        );
      }
      try {
        const result = await run<Row>(sql, params);
        aborted = false;
        return result;
      } catch (error) {
        // why: any server error aborts a transaction block until ROLLBACK (TO SAVEPOINT) succeeds.
        if (error instanceof DatabaseError) aborted = true;
        throw error;
      }
    },
  };
  return {
    queryable,
    get ended() {
      return ended;
    },
    get aborted() {
      return aborted;
    },
    end() {
      ended = true;
    },
  };
}
