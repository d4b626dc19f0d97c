import type { Queryable } from '../db/index.ts';

/** How a store searches embeddings: pgvector's operators, or an exact scan in JavaScript. */
export type VectorSearchMode = 'pgvector' | 'exact-scan';

const identifierPattern = /^[a-z_][a-z0-9_]*$/;

/**
 * Loads pgvector and adds a `vector` column to a table when the extension is available; answers
 * which search mode the table can use. Run at start-up rather than in a migration: the schema
 * must migrate where pgvector is missing, and a store that gains the extension later should
 * start using it. Safe to call again (every statement is idempotent).
 */
export async function ensureVectorColumn(
  database: Queryable,
  table: string,
  column: string,
): Promise<VectorSearchMode> {
  if (!identifierPattern.test(table) || !identifierPattern.test(column)) {
    throw new Error(`'${table}.${column}' is not a plain SQL identifier`);
  }
  try {
    await database.query('CREATE EXTENSION IF NOT EXISTS vector');
    await database.query(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${column} vector`);
    return 'pgvector';
  } catch {
    return 'exact-scan';
  }
}

/**
 * The search mode a table already supports: 'pgvector' when its column exists with pgvector's type.
 * A catalog read, so a handle without DDL rights (the platform's restricted role) can ask; the
 * owner adds the column at start-up with {@link ensureVectorColumn}.
 */
export async function existingVectorColumn(
  database: Queryable,
  table: string,
  column: string,
): Promise<VectorSearchMode> {
  const result = await database.query(
    `SELECT 1 FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
      WHERE a.attrelid = to_regclass($1) AND a.attname = $2 AND NOT a.attisdropped AND t.typname = 'vector'`,
    [table, column],
  );
  return result.rowCount > 0 ? 'pgvector' : 'exact-scan';
}

/** pgvector's text form of a vector (`[1,2,3]`), for a `$n::vector` parameter. */
export function vectorLiteral(values: readonly number[]): string {
  return `[${values.join(',')}]`;
}
