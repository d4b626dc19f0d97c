import type { Database, Queryable } from '../../db/index.ts';

/** Runs `work` in a transaction: the handle's own when it is a store, or `database` itself when it already is one. */
export function inTransaction<T>(
  database: Queryable,
  work: (transaction: Queryable) => Promise<T>,
): Promise<T> {
  return 'transaction' in database && typeof database.transaction === 'function'
    ? (database as Database).transaction(work)
    : work(database);
}
