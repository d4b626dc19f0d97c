import type { Queryable } from '../storage/db/index.ts';
import { randomBase62 } from '../tenancy/index.ts';

export interface Team {
  id: string;
  organizationId: string;
  name: string;
  metadata: Record<string, unknown>;
  memberIds: string[];
  createdAt: Date;
}

interface TeamRow {
  id: string;
  organization_id: string;
  name: string;
  metadata: Record<string, unknown>;
  member_ids: string[] | null;
  created_at: Date;
}

const teamSelect = `SELECT t.id, t.organization_id, t.name, t.metadata, t.created_at,
        (SELECT array_agg(m.user_id ORDER BY m.user_id) FROM team_members m WHERE m.team_id = t.id) AS member_ids
   FROM teams t`;

function toTeam(row: TeamRow): Team {
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    metadata: row.metadata,
    memberIds: row.member_ids ?? [],
    createdAt: row.created_at,
  };
}

export async function createTeam(
  database: Queryable,
  input: { organizationId: string; name: string; metadata: Record<string, unknown> },
): Promise<Team> {
  const id = `team_${randomBase62(20)}`;
  await database.query(
    'INSERT INTO teams (id, organization_id, name, metadata) VALUES ($1, $2, $3, $4::jsonb)',
    [id, input.organizationId, input.name, JSON.stringify(input.metadata)],
  );
  return (await findTeam(database, input.organizationId, id))!;
}

export async function findTeam(
  database: Queryable,
  organizationId: string,
  id: string,
): Promise<Team | null> {
  const result = await database.query<TeamRow>(`${teamSelect} WHERE t.organization_id = $1 AND t.id = $2`, [
    organizationId,
    id,
  ]);
  return result.rows[0] ? toTeam(result.rows[0]) : null;
}

export async function listTeams(
  database: Queryable,
  organizationId: string,
  page: { limit: number; after?: string },
): Promise<Team[]> {
  const result = await database.query<TeamRow>(
    `${teamSelect} WHERE t.organization_id = $1 AND ($2::text IS NULL OR t.id > $2) ORDER BY t.id LIMIT $3`,
    [organizationId, page.after ?? null, page.limit],
  );
  return result.rows.map(toTeam);
}

export async function updateTeam(
  database: Queryable,
  organizationId: string,
  id: string,
  change: { name?: string; metadata?: Record<string, unknown> },
): Promise<Team | null> {
  const result = await database.query(
    `UPDATE teams SET name = coalesce($3, name), metadata = coalesce($4::jsonb, metadata), updated_at = now()
      WHERE organization_id = $1 AND id = $2`,
    [organizationId, id, change.name ?? null, change.metadata ? JSON.stringify(change.metadata) : null],
  );
  return result.rowCount > 0 ? findTeam(database, organizationId, id) : null;
}

/** Deletes the team; its keys stay, without a team. Returns the secret hashes of those keys. */
export async function deleteTeam(
  database: Queryable,
  organizationId: string,
  id: string,
): Promise<{ deleted: boolean; detachedKeyHashes: string[] }> {
  const detached = await database.query<{ secret_hash: string }>(
    `UPDATE api_keys SET team_id = NULL, updated_at = now() WHERE organization_id = $1 AND team_id = $2
     RETURNING secret_hash`,
    [organizationId, id],
  );
  await database.query('UPDATE invitations SET team_id = NULL WHERE organization_id = $1 AND team_id = $2', [
    organizationId,
    id,
  ]);
  const result = await database.query('DELETE FROM teams WHERE organization_id = $1 AND id = $2', [
    organizationId,
    id,
  ]);
  return { deleted: result.rowCount > 0, detachedKeyHashes: detached.rows.map((row) => row.secret_hash) };
}

export async function addTeamMember(
  database: Queryable,
  input: { organizationId: string; teamId: string; userId: string },
): Promise<void> {
  await database.query(
    `INSERT INTO team_members (team_id, organization_id, user_id) VALUES ($1, $2, $3)
     ON CONFLICT (team_id, user_id) DO NOTHING`,
    [input.teamId, input.organizationId, input.userId],
  );
}

export async function removeTeamMember(
  database: Queryable,
  input: { organizationId: string; teamId: string; userId: string },
): Promise<boolean> {
  const result = await database.query(
    'DELETE FROM team_members WHERE organization_id = $1 AND team_id = $2 AND user_id = $3',
    [input.organizationId, input.teamId, input.userId],
  );
  return result.rowCount > 0;
}
