/** The SQLSTATE both backends report when a connection cannot be established. */
export const connectionFailureCode = '08001';

/** The SQLSTATE of a transaction whose statements were ignored after one of them failed. */
export const abortedTransactionCode = '25P02';

interface DatabaseErrorDetails {
  /** SQLSTATE, e.g. '23505' for a unique violation. */
  code: string;
  severity?: string | undefined;
  detail?: string | undefined;
  hint?: string | undefined;
  schema?: string | undefined;
  table?: string | undefined;
  column?: string | undefined;
  constraint?: string | undefined;
  cause?: unknown;
}

/**
 * A statement or connection failure, the same shape from PGlite and PostgreSQL. `message` is
 * Postgres's own message and `code` its SQLSTATE. Bound parameters are never attached, since they may
 * hold secrets that would otherwise reach logs.
 */
export class DatabaseError extends Error {
  override readonly name = 'DatabaseError';
  readonly code: string;
  readonly severity: string | undefined;
  readonly detail: string | undefined;
  readonly hint: string | undefined;
  readonly schema: string | undefined;
  readonly table: string | undefined;
  readonly column: string | undefined;
  readonly constraint: string | undefined;

  constructor(message: string, details: DatabaseErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = details.code;
    this.severity = details.severity;
    this.detail = details.detail;
    this.hint = details.hint;
    this.schema = details.schema;
    this.table = details.table;
    this.column = details.column;
    this.constraint = details.constraint;
  }
}

interface ServerErrorFields {
  message: string;
  code: string;
  severity?: unknown;
  detail?: unknown;
  hint?: unknown;
  schema?: unknown;
  table?: unknown;
  column?: unknown;
  constraint?: unknown;
}

/** True for an error reported by the Postgres server (pg and PGlite both use pg-protocol's shape). */
export function isServerError(error: unknown): error is Error & ServerErrorFields {
  return (
    error instanceof Error &&
    !(error instanceof DatabaseError) &&
    'severity' in error &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Converts a driver's server error into a {@link DatabaseError}, copying only the diagnostic fields;
 * anything else (already converted, or thrown by caller code) is returned unchanged.
 */
export function toDatabaseError(error: unknown): unknown {
  if (!isServerError(error)) return error;
  return new DatabaseError(error.message, {
    code: error.code,
    severity: optionalText(error.severity),
    detail: optionalText(error.detail),
    hint: optionalText(error.hint),
    schema: optionalText(error.schema),
    table: optionalText(error.table),
    column: optionalText(error.column),
    constraint: optionalText(error.constraint),
  });
}

/** The error a transaction rejects with when it swallowed a failed statement and so cannot commit. */
export function abortedTransactionError(): DatabaseError {
  return new DatabaseError(
    'The transaction was rolled back: a statement in it failed and the callback caught that error, so nothing was committed.',
    { code: abortedTransactionCode },
  );
}

/** The error every call on a closed database rejects with. */
export function closedDatabaseError(): Error {
  return new Error('The database has been closed; open a new one to run more statements.');
}
