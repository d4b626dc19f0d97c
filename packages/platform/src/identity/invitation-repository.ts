import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../storage/db/index.ts';
import type { OrganizationRole } from '../tenancy/index.ts';
import { randomBase62 } from '../tenancy/index.ts';

export interface Invitation {
  id: string;
  organizationId: string;
  email: string;
  role: OrganizationRole;
  teamId: string | null;
  invitedBy: string;
  expiresAt: Date;
  acceptedAt: Date | null;
  acceptedBy: string | null;
  revokedAt: Date | null;
  createdAt: Date;
}

interface InvitationRow {
  id: string;
  organization_id: string;
  email: string;
  role: OrganizationRole;
  team_id: string | null;
  invited_by: string;
  expires_at: Date;
  accepted_at: Date | null;
  accepted_by: string | null;
  revoked_at: Date | null;
  created_at: Date;
}

const columns =
  'id, organization_id, email, role, team_id, invited_by, expires_at, accepted_at, accepted_by, revoked_at, created_at';

function toInvitation(row: InvitationRow): Invitation {
  return {
    id: row.id,
    organizationId: row.organization_id,
    email: row.email,
    role: row.role,
    teamId: row.team_id,
    invitedBy: row.invited_by,
    expiresAt: row.expires_at,
    acceptedAt: row.accepted_at,
    acceptedBy: row.accepted_by,
    revokedAt: row.revoked_at,
    createdAt: row.created_at,
  };
}

const tokenPrefix = 'kimi-invite-';

export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates an invitation; its token is returned here once, only its hash is stored. */
export async function createInvitation(
  database: Queryable,
  input: {
    organizationId: string;
    email: string;
    role: OrganizationRole;
    teamId: string | null;
    invitedBy: string;
    expiresAt: Date;
  },
): Promise<{ invitation: Invitation; token: string }> {
  const token = `${tokenPrefix}${randomBytes(32).toString('base64url')}`;
  const result = await database.query<InvitationRow>(
    `INSERT INTO invitations (id, organization_id, email, role, team_id, token_hash, invited_by, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${columns}`,
    [
      `inv_${randomBase62(20)}`,
      input.organizationId,
      input.email,
      input.role,
      input.teamId,
      hashInvitationToken(token),
      input.invitedBy,
      input.expiresAt,
    ],
  );
  return { invitation: toInvitation(result.rows[0]!), token };
}

/** Newest first. */
export async function listInvitations(
  database: Queryable,
  organizationId: string,
  page: { limit: number; after?: string },
): Promise<Invitation[]> {
  const result = await database.query<InvitationRow>(
    `SELECT ${columns} FROM invitations WHERE organization_id = $1 AND ($2::text IS NULL OR id > $2)
      ORDER BY id LIMIT $3`,
    [organizationId, page.after ?? null, page.limit],
  );
  return result.rows.map(toInvitation);
}

/** Revokes a pending invitation; null when there is none of that id in the organisation. */
export async function revokeInvitation(
  database: Queryable,
  organizationId: string,
  id: string,
): Promise<Invitation | null> {
  const result = await database.query<InvitationRow>(
    `UPDATE invitations SET revoked_at = coalesce(revoked_at, now())
      WHERE organization_id = $1 AND id = $2 RETURNING ${columns}`,
    [organizationId, id],
  );
  return result.rows[0] ? toInvitation(result.rows[0]) : null;
}

/** The invitation a token opens, locked until the transaction ends so it is used once. */
export async function lockInvitationByToken(database: Queryable, token: string): Promise<Invitation | null> {
  const result = await database.query<InvitationRow>(
    `SELECT ${columns} FROM invitations WHERE token_hash = $1 FOR UPDATE`,
    [hashInvitationToken(token)],
  );
  return result.rows[0] ? toInvitation(result.rows[0]) : null;
}

export async function markInvitationAccepted(database: Queryable, id: string, userId: string): Promise<void> {
  await database.query('UPDATE invitations SET accepted_at = now(), accepted_by = $2 WHERE id = $1', [
    id,
    userId,
  ]);
}
