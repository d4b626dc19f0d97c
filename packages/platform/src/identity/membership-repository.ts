import type { Queryable } from '../storage/db/index.ts';
import type { OrganizationRole } from '../tenancy/index.ts';
import { toUser, type User } from './user-repository.ts';

export interface Member {
  user: User;
  organizationId: string;
  role: OrganizationRole;
  /** The organisation's teams the member is in. */
  teamIds: string[];
  joinedAt: Date;
}

interface MemberRow {
  id: string;
  email: string;
  name: string | null;
  status: 'active' | 'disabled';
  created_at: Date;
  organization_id: string;
  role: OrganizationRole;
  team_ids: string[] | null;
  joined_at: Date;
}

const memberSelect = `SELECT u.id, u.email, u.name, u.status, u.created_at, m.organization_id, m.role, m.created_at AS joined_at,
        (SELECT array_agg(t.team_id ORDER BY t.team_id) FROM team_members t
          WHERE t.organization_id = m.organization_id AND t.user_id = m.user_id) AS team_ids
   FROM memberships m JOIN users u ON u.id = m.user_id`;

function toMember(row: MemberRow): Member {
  return {
    user: toUser(row),
    organizationId: row.organization_id,
    role: row.role,
    teamIds: row.team_ids ?? [],
    joinedAt: row.joined_at,
  };
}

export async function listMembers(
  database: Queryable,
  organizationId: string,
  page: { limit: number; after?: string },
): Promise<Member[]> {
  const result = await database.query<MemberRow>(
    `${memberSelect} WHERE m.organization_id = $1 AND ($2::text IS NULL OR u.id > $2) ORDER BY u.id LIMIT $3`,
    [organizationId, page.after ?? null, page.limit],
  );
  return result.rows.map(toMember);
}

export async function findMember(
  database: Queryable,
  organizationId: string,
  userId: string,
): Promise<Member | null> {
  const result = await database.query<MemberRow>(
    `${memberSelect} WHERE m.organization_id = $1 AND m.user_id = $2`,
    [organizationId, userId],
  );
  return result.rows[0] ? toMember(result.rows[0]) : null;
}

/** Adds the membership; false when the user is a member already. */
export async function addMembership(
  database: Queryable,
  input: { organizationId: string; userId: string; role: OrganizationRole },
): Promise<boolean> {
  const result = await database.query(
    `INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, $3)
     ON CONFLICT (organization_id, user_id) DO NOTHING`,
    [input.organizationId, input.userId, input.role],
  );
  return result.rowCount > 0;
}

export async function setMembershipRole(
  database: Queryable,
  organizationId: string,
  userId: string,
  role: OrganizationRole,
): Promise<void> {
  await database.query(
    'UPDATE memberships SET role = $3, updated_at = now() WHERE organization_id = $1 AND user_id = $2',
    [organizationId, userId, role],
  );
}

/** Removes the member from the organisation and its teams. */
export async function removeMembership(
  database: Queryable,
  organizationId: string,
  userId: string,
): Promise<void> {
  await database.query('DELETE FROM team_members WHERE organization_id = $1 AND user_id = $2', [
    organizationId,
    userId,
  ]);
  await database.query('DELETE FROM memberships WHERE organization_id = $1 AND user_id = $2', [
    organizationId,
    userId,
  ]);
}

/** Owners of the organisation, locked until the transaction ends (so two demotions cannot both pass). */
export async function lockOwners(database: Queryable, organizationId: string): Promise<string[]> {
  const result = await database.query<{ user_id: string }>(
    "SELECT user_id FROM memberships WHERE organization_id = $1 AND role = 'owner' ORDER BY user_id FOR UPDATE",
    [organizationId],
  );
  return result.rows.map((row) => row.user_id);
}

/**
 * Marks a person's keys in the organisation as changed (their role follows the membership) and
 * returns their secret hashes, so every instance drops its cached verdict — at once through the
 * announcement, or at the next poll of changed keys.
 */
export async function touchMemberKeys(
  database: Queryable,
  organizationId: string,
  userId: string,
): Promise<string[]> {
  const result = await database.query<{ secret_hash: string }>(
    'UPDATE api_keys SET updated_at = now() WHERE organization_id = $1 AND user_id = $2 RETURNING secret_hash',
    [organizationId, userId],
  );
  return result.rows.map((row) => row.secret_hash);
}

/**
 * Marks every key that belongs to a person in the organisation as changed (after `require_sso`
 * changes, which decides whether they work) and returns their current and rotated-out secret hashes.
 */
export async function touchPeopleKeys(database: Queryable, organizationId: string): Promise<string[]> {
  const touched = await database.query<{ id: string; secret_hash: string }>(
    'UPDATE api_keys SET updated_at = now() WHERE organization_id = $1 AND user_id IS NOT NULL RETURNING id, secret_hash',
    [organizationId],
  );
  const retired = await database.query<{ secret_hash: string }>(
    'SELECT secret_hash FROM api_key_retired_secrets WHERE api_key_id = ANY($1::text[])',
    [touched.rows.map((row) => row.id)],
  );
  return [...touched.rows, ...retired.rows].map((row) => row.secret_hash);
}
