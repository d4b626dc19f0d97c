export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

export interface Queryable {
  /**
   * Runs one parameterised statement (`$1`, `$2`, …). Both backends return the same JS types:
   * int2/int4/int8/float → number, numeric → string, bool → boolean, timestamptz → Date,
   * json/jsonb → parsed value, text[] → string[], null → null.
   */
  query<Row extends object = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<Row>>;
}

/** The relational store port: PGlite embedded, PostgreSQL scaled out. One SQL dialect. */
export interface Database extends Queryable {
  readonly backend: 'pglite' | 'postgres';
  /** Runs `work` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (transaction: Queryable) => Promise<T>): Promise<T>;
  /** Resolves when the store answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
