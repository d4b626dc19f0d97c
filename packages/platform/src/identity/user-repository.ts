import type { Queryable } from '../storage/db/index.ts';
import { randomBase62 } from '../tenancy/index.ts';

export interface User {
  id: string;
  email: string;
  name: string | null;
  status: 'active' | 'disabled';
  createdAt: Date;
}

interface UserRow {
  id: string;
  email: string;
  name: string | null;
  status: 'active' | 'disabled';
  created_at: Date;
}

const columns = 'u.id, u.email, u.name, u.status, u.created_at';

export function toUser(row: UserRow): User {
  return { id: row.id, email: row.email, name: row.name, status: row.status, createdAt: row.created_at };
}

/** Emails are compared without case, as mail systems do for the domain and most for the local part. */
export async function findUserByEmail(database: Queryable, email: string): Promise<User | null> {
  const result = await database.query<UserRow>(
    `SELECT ${columns} FROM users u WHERE lower(u.email) = lower($1)`,
    [email],
  );
  return result.rows[0] ? toUser(result.rows[0]) : null;
}

export async function findUser(database: Queryable, id: string): Promise<User | null> {
  const result = await database.query<UserRow>(`SELECT ${columns} FROM users u WHERE u.id = $1`, [id]);
  return result.rows[0] ? toUser(result.rows[0]) : null;
}

/**
 * The user with this email, created when there is none (a person may belong to several
 * organisations). Two first sign-ins of one person at once create one user: the later insert
 * yields to the earlier one and reads it.
 */
export async function findOrCreateUser(
  database: Queryable,
  input: { email: string; name: string | null },
): Promise<User> {
  const existing = await findUserByEmail(database, input.email);
  if (existing) return existing;
  const result = await database.query<UserRow>(
    `INSERT INTO users AS u (id, email, name) VALUES ($1, $2, $3)
     ON CONFLICT ((lower(email))) DO NOTHING RETURNING ${columns}`,
    [`usr_${randomBase62(20)}`, input.email, input.name],
  );
  const created = result.rows[0];
  if (created) return toUser(created);
  const winner = await findUserByEmail(database, input.email);
  if (!winner) throw new Error(`The user with email '${input.email}' vanished while being created.`);
  return winner;
}
