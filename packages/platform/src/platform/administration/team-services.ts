import { errors } from '../../errors/index.ts';
import { attributionOf, type JsonValue } from '../../identity/audit/index.ts';
import {
  addTeamMember,
  createTeam,
  deleteTeam,
  findMember,
  findTeam,
  identityErrors,
  listTeams,
  removeTeamMember,
  requirePermission,
  type Team,
  updateTeam,
} from '../../identity/index.ts';
import { DatabaseError, type Queryable } from '../../storage/db/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';
import type { AdministrationDependencies, PageRequest } from './administration-dependencies.ts';

/** Teams inside an organisation: their members and, through `team_id`, their keys. */
export interface TeamServices {
  create(
    caller: AuthContext,
    organizationId: string,
    input: { name: string; metadata: Record<string, unknown> },
  ): Promise<Team>;
  list(caller: AuthContext, organizationId: string, page: PageRequest): Promise<Team[]>;
  get(caller: AuthContext, organizationId: string, teamId: string): Promise<Team>;
  update(
    caller: AuthContext,
    organizationId: string,
    teamId: string,
    change: { name?: string; metadata?: Record<string, unknown> },
  ): Promise<Team>;
  /** Deletes the team; its keys keep working without a team. */
  delete(caller: AuthContext, organizationId: string, teamId: string): Promise<void>;
  addMember(caller: AuthContext, organizationId: string, teamId: string, userId: string): Promise<Team>;
  removeMember(caller: AuthContext, organizationId: string, teamId: string, userId: string): Promise<Team>;
}

const uniqueViolation = '23505';

async function requireTeam(database: Queryable, organizationId: string, teamId: string): Promise<Team> {
  const team = await findTeam(database, organizationId, teamId);
  if (!team) throw errors.notFound(`Team '${teamId}'`, 'teamId');
  return team;
}

async function uniqueName<Result>(name: string | undefined, work: () => Promise<Result>): Promise<Result> {
  try {
    return await work();
  } catch (error) {
    if (name !== undefined && error instanceof DatabaseError && error.code === uniqueViolation) {
      throw identityErrors.teamNameTaken(name);
    }
    throw error;
  }
}

export function createTeamServices(dependencies: AdministrationDependencies): TeamServices {
  const { audit } = dependencies;
  const record = (
    transaction: Queryable,
    caller: AuthContext,
    organizationId: string,
    action: 'team.created' | 'team.updated' | 'team.deleted' | 'team.member_added' | 'team.member_removed',
    teamId: string,
    change: { before: JsonValue | null; after: JsonValue | null },
  ) =>
    audit.record(transaction, {
      ...attributionOf(caller),
      organizationId,
      action,
      target: { type: 'team', id: teamId },
      ...change,
    });
  const summary = (team: Team): JsonValue => ({ name: team.name, metadata: team.metadata as JsonValue });
  const allow = (caller: AuthContext, organizationId: string, action: string) => {
    requirePermission(caller, 'admin:members', organizationId, action);
    return dependencies.database.forOrganization(organizationId);
  };
  return {
    async create(caller, organizationId, input) {
      const database = allow(caller, organizationId, 'create teams');
      return uniqueName(input.name, () =>
        database.transaction(async (transaction) => {
          const team = await createTeam(transaction, { organizationId, ...input });
          await record(transaction, caller, organizationId, 'team.created', team.id, {
            before: null,
            after: summary(team),
          });
          return team;
        }),
      );
    },
    async list(caller, organizationId, page) {
      const database = allow(caller, organizationId, 'list teams');
      return listTeams(database, organizationId, page);
    },
    async get(caller, organizationId, teamId) {
      const database = allow(caller, organizationId, 'read teams');
      return requireTeam(database, organizationId, teamId);
    },
    async update(caller, organizationId, teamId, change) {
      const database = allow(caller, organizationId, 'change teams');
      const team = await uniqueName(change.name, () =>
        database.transaction(async (transaction) => {
          const before = await findTeam(transaction, organizationId, teamId);
          const updated = await updateTeam(transaction, organizationId, teamId, change);
          if (!before || !updated) return null;
          await record(transaction, caller, organizationId, 'team.updated', teamId, {
            before: summary(before),
            after: summary(updated),
          });
          return updated;
        }),
      );
      if (!team) throw errors.notFound(`Team '${teamId}'`, 'teamId');
      return team;
    },
    async delete(caller, organizationId, teamId) {
      const database = allow(caller, organizationId, 'delete teams');
      const outcome = await database.transaction(async (transaction) => {
        const before = await findTeam(transaction, organizationId, teamId);
        const deleted = await deleteTeam(transaction, organizationId, teamId);
        if (before && deleted.deleted) {
          await record(transaction, caller, organizationId, 'team.deleted', teamId, {
            before: summary(before),
            after: null,
          });
        }
        return deleted;
      });
      if (!outcome.deleted) throw errors.notFound(`Team '${teamId}'`, 'teamId');
      await dependencies.authenticator.announceChange(outcome.detachedKeyHashes);
    },
    async addMember(caller, organizationId, teamId, userId) {
      const database = allow(caller, organizationId, 'change team members');
      return database.transaction(async (transaction) => {
        await requireTeam(transaction, organizationId, teamId);
        if (!(await findMember(transaction, organizationId, userId))) throw identityErrors.notMember(userId);
        await addTeamMember(transaction, { organizationId, teamId, userId });
        await record(transaction, caller, organizationId, 'team.member_added', teamId, {
          before: null,
          after: { user_id: userId },
        });
        return requireTeam(transaction, organizationId, teamId);
      });
    },
    async removeMember(caller, organizationId, teamId, userId) {
      const database = allow(caller, organizationId, 'change team members');
      return database.transaction(async (transaction) => {
        await requireTeam(transaction, organizationId, teamId);
        if (!(await removeTeamMember(transaction, { organizationId, teamId, userId }))) {
          throw errors.notFound(`The user '${userId}' in team '${teamId}'`, 'userId');
        }
        await record(transaction, caller, organizationId, 'team.member_removed', teamId, {
          before: { user_id: userId },
          after: null,
        });
        return requireTeam(transaction, organizationId, teamId);
      });
    },
  };
}
