import type { Queryable } from '../../storage/db/index.ts';
import { isMembershipRole, type MembershipRole } from '../sso/index.ts';

/** A browser session as stored: the family its refresh tokens belong to. */
export interface StoredSession {
  id: string;
  organizationId: string;
  userId: string;
  role: MembershipRole;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

/** A refresh token row joined with its session, as a refresh sees it. */
export interface PresentedRefreshToken {
  session: StoredSession;
  expiresAt: number;
  rotatedAt: number | null;
}

interface SessionRow {
  id: string;
  organization_id: string;
  user_id: string;
  role: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
}

const sessionColumns = 's.id, s.organization_id, s.user_id, s.role, s.created_at, s.expires_at, s.revoked_at';

function sessionOf(row: SessionRow): StoredSession {
  return {
    id: row.id,
    organizationId: row.organization_id,
    userId: row.user_id,
    // why: a role this build does not know (renamed later) reads as the least privileged one.
    role: isMembershipRole(row.role) ? row.role : 'viewer',
    createdAt: row.created_at.getTime(),
    expiresAt: row.expires_at.getTime(),
    revokedAt: row.revoked_at?.getTime() ?? null,
  };
}

export async function insertSession(database: Queryable, session: StoredSession): Promise<void> {
  await database.query(
    `INSERT INTO browser_sessions (id, organization_id, user_id, role, created_at, refreshed_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $5, $6)`,
    [
      session.id,
      session.organizationId,
      session.userId,
      session.role,
      new Date(session.createdAt),
      new Date(session.expiresAt),
    ],
  );
}

export async function insertRefreshToken(
  database: Queryable,
  token: { hash: string; sessionId: string; organizationId: string; issuedAt: number; expiresAt: number },
): Promise<void> {
  await database.query(
    `INSERT INTO session_refresh_tokens (token_hash, session_id, organization_id, issued_at, expires_at)
     VALUES ($1, $2, $3, $4, $5)`,
    [token.hash, token.sessionId, token.organizationId, new Date(token.issuedAt), new Date(token.expiresAt)],
  );
}

/**
 * The refresh token with this hash and its session, locked until the transaction ends, so two
 * refreshes with one token are decided one after the other.
 */
export async function lockRefreshToken(
  transaction: Queryable,
  organizationId: string,
  hash: string,
): Promise<PresentedRefreshToken | null> {
  const result = await transaction.query<SessionRow & { token_expires_at: Date; rotated_at: Date | null }>(
    `SELECT ${sessionColumns}, t.expires_at AS token_expires_at, t.rotated_at
       FROM session_refresh_tokens t JOIN browser_sessions s ON s.id = t.session_id
      WHERE t.organization_id = $1 AND t.token_hash = $2
      FOR UPDATE OF t, s`,
    [organizationId, hash],
  );
  const row = result.rows[0];
  if (!row) return null;
  return {
    session: sessionOf(row),
    expiresAt: row.token_expires_at.getTime(),
    rotatedAt: row.rotated_at?.getTime() ?? null,
  };
}

export async function markRefreshTokenRotated(
  transaction: Queryable,
  hash: string,
  now: number,
): Promise<void> {
  await transaction.query('UPDATE session_refresh_tokens SET rotated_at = $2 WHERE token_hash = $1', [
    hash,
    new Date(now),
  ]);
}

export async function recordSessionRefresh(
  database: Queryable,
  sessionId: string,
  role: MembershipRole,
  now: number,
): Promise<void> {
  await database.query('UPDATE browser_sessions SET refreshed_at = $2, role = $3 WHERE id = $1', [
    sessionId,
    new Date(now),
    role,
  ]);
}

/** Revokes one session (its whole refresh-token family); null when it was already revoked or unknown. */
export async function revokeStoredSession(
  database: Queryable,
  organizationId: string,
  sessionId: string,
  reason: string,
  now: number,
): Promise<StoredSession | null> {
  const result = await database.query<SessionRow>(
    `UPDATE browser_sessions s SET revoked_at = $3, revoked_reason = $4
      WHERE s.organization_id = $1 AND s.id = $2 AND s.revoked_at IS NULL RETURNING ${sessionColumns}`,
    [organizationId, sessionId, new Date(now), reason],
  );
  const row = result.rows[0];
  return row ? sessionOf(row) : null;
}

/** Revokes every live session of a user in an organisation; the sessions revoked. */
export async function revokeStoredUserSessions(
  database: Queryable,
  organizationId: string,
  userId: string,
  reason: string,
  now: number,
): Promise<StoredSession[]> {
  const result = await database.query<SessionRow>(
    `UPDATE browser_sessions s SET revoked_at = $3, revoked_reason = $4
      WHERE s.organization_id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL RETURNING ${sessionColumns}`,
    [organizationId, userId, new Date(now), reason],
  );
  return result.rows.map(sessionOf);
}

export async function findSessionByRefreshToken(
  database: Queryable,
  organizationId: string,
  hash: string,
): Promise<StoredSession | null> {
  const result = await database.query<SessionRow>(
    `SELECT ${sessionColumns} FROM session_refresh_tokens t JOIN browser_sessions s ON s.id = t.session_id
      WHERE t.organization_id = $1 AND t.token_hash = $2`,
    [organizationId, hash],
  );
  const row = result.rows[0];
  return row ? sessionOf(row) : null;
}

/** Deletes sessions (and by cascade their tokens) that ended before `before`; how many. */
export async function deleteEndedSessions(database: Queryable, before: number): Promise<number> {
  const result = await database.query(
    'DELETE FROM browser_sessions WHERE expires_at < $1 OR revoked_at < $1',
    [new Date(before)],
  );
  return result.rowCount;
}
