import type { Queryable } from '../storage/db/index.ts';

/** A person's account at an identity provider, linked to one user: the pair (issuer, subject). */
export interface LinkedIdentity {
  issuer: string;
  subject: string;
  userId: string;
  /** The organisation whose connection linked it first. */
  organizationId: string;
  /** The email the provider sent at the last sign-in (informative: users are never found by it here). */
  email: string | null;
  createdAt: Date;
  lastSignedInAt: Date;
}

interface IdentityRow {
  issuer: string;
  subject: string;
  user_id: string;
  organization_id: string;
  email: string | null;
  created_at: Date;
  last_signed_in_at: Date;
}

const columns = 'issuer, subject, user_id, organization_id, email, created_at, last_signed_in_at';

function toLinkedIdentity(row: IdentityRow): LinkedIdentity {
  return {
    issuer: row.issuer,
    subject: row.subject,
    userId: row.user_id,
    organizationId: row.organization_id,
    email: row.email,
    createdAt: row.created_at,
    lastSignedInAt: row.last_signed_in_at,
  };
}

export async function findLinkedIdentity(
  database: Queryable,
  issuer: string,
  subject: string,
): Promise<LinkedIdentity | null> {
  const result = await database.query<IdentityRow>(
    `SELECT ${columns} FROM user_identities WHERE issuer = $1 AND subject = $2`,
    [issuer, subject],
  );
  return result.rows[0] ? toLinkedIdentity(result.rows[0]) : null;
}

/**
 * Links (issuer, subject) to the user, or keeps the link another sign-in made a moment before:
 * returns the user the pair is linked to now.
 */
export async function linkIdentity(
  database: Queryable,
  identity: { issuer: string; subject: string; userId: string; organizationId: string; email: string | null },
  now: Date,
): Promise<string> {
  const inserted = await database.query<{ user_id: string }>(
    `INSERT INTO user_identities (issuer, subject, user_id, organization_id, email, created_at, last_signed_in_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (issuer, subject) DO NOTHING RETURNING user_id`,
    [identity.issuer, identity.subject, identity.userId, identity.organizationId, identity.email, now],
  );
  if (inserted.rows[0]) return inserted.rows[0].user_id;
  const existing = await findLinkedIdentity(database, identity.issuer, identity.subject);
  if (!existing) throw new Error('A linked identity vanished while being linked.');
  return existing.userId;
}

/** Notes a sign-in with a linked identity, and the email the provider sent with it. */
export async function recordIdentitySignIn(
  database: Queryable,
  identity: { issuer: string; subject: string; email: string | null },
  now: Date,
): Promise<void> {
  await database.query(
    'UPDATE user_identities SET last_signed_in_at = $3, email = $4 WHERE issuer = $1 AND subject = $2',
    [identity.issuer, identity.subject, now, identity.email],
  );
}

/** The identities linked to a user (an administrator's view of how a person signs in). */
export async function listLinkedIdentities(database: Queryable, userId: string): Promise<LinkedIdentity[]> {
  const result = await database.query<IdentityRow>(
    `SELECT ${columns} FROM user_identities WHERE user_id = $1 ORDER BY created_at`,
    [userId],
  );
  return result.rows.map(toLinkedIdentity);
}
