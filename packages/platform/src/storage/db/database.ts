import type { AccessScope } from './access-scope.ts';

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

/** A snapshot of a store's connections, for metrics. */
export interface ConnectionCounts {
  /** Connections open now. */
  total: number;
  /** Open connections no statement is using. */
  idle: number;
  /** Callers waiting for a connection (PGlite: statements queued behind the running one). */
  waiting: number;
  /** The most connections the store opens. */
  maximum: number;
}

/** The relational store port: PGlite embedded, PostgreSQL scaled out. One SQL dialect. */
export interface Database extends Queryable {
  /** For logs and banners only; code branches on the capabilities below, never on this name. */
  readonly backend: 'pglite' | 'postgres';
  /**
   * True when only this process can open the store (embedded PGlite): a lease or lock in it
   * that is not this process's belongs to a dead one, and limits may be counted in memory.
   */
  readonly singleProcess: boolean;
  /** Statements worth running at once (PGlite executes one at a time). */
  readonly concurrentStatements: number;
  /** Runs `work` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (transaction: Queryable) => Promise<T>): Promise<T>;
  /** The connections of the store this handle belongs to, shared by every handle derived from it. */
  connections(): ConnectionCounts;
  /** Resolves when the store answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  /** Who this handle's statements run as; see {@link AccessScope}. The handle a store opens with is `owner`. */
  readonly scope: AccessScope;
  /**
   * The same store as the restricted role with no organisation: every tenant table looks empty
   * until `forOrganization` or `forPlatform` says whose rows a piece of work may see.
   */
  isolated(): Database;
  /** The same store in one organisation's context: row-level security shows and accepts only its rows. */
  forOrganization(organizationId: string): Database;
  /** The same store across organisations, for the platform's own work; `reason` names it (logs, reviews). */
  forPlatform(reason: string): Database;
  /** Closes the store for every handle derived from it. */
  close(): Promise<void>;
}
