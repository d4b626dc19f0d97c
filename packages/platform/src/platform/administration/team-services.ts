import { errors } from '../../errors/index.ts';
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
  const { database } = dependencies;
  const allow = (caller: AuthContext, organizationId: string, action: string) =>
    requirePermission(caller, 'admin:members', organizationId, action);
  return {
    async create(caller, organizationId, input) {
      allow(caller, organizationId, 'create teams');
      return uniqueName(input.name, () =>
        database.transaction((transaction) => createTeam(transaction, { organizationId, ...input })),
      );
    },
    async list(caller, organizationId, page) {
      allow(caller, organizationId, 'list teams');
      return listTeams(database, organizationId, page);
    },
    async get(caller, organizationId, teamId) {
      allow(caller, organizationId, 'read teams');
      return requireTeam(database, organizationId, teamId);
    },
    async update(caller, organizationId, teamId, change) {
      allow(caller, organizationId, 'change teams');
      const team = await uniqueName(change.name, () =>
        database.transaction((transaction) => updateTeam(transaction, organizationId, teamId, change)),
      );
      if (!team) throw errors.notFound(`Team '${teamId}'`, 'teamId');
      return team;
    },
    async delete(caller, organizationId, teamId) {
      allow(caller, organizationId, 'delete teams');
      const outcome = await database.transaction((transaction) =>
        deleteTeam(transaction, organizationId, teamId),
      );
      if (!outcome.deleted) throw errors.notFound(`Team '${teamId}'`, 'teamId');
      await dependencies.authenticator.announceChange(outcome.detachedKeyHashes);
    },
    async addMember(caller, organizationId, teamId, userId) {
      allow(caller, organizationId, 'change team members');
      return database.transaction(async (transaction) => {
        await requireTeam(transaction, organizationId, teamId);
        if (!(await findMember(transaction, organizationId, userId))) throw identityErrors.notMember(userId);
        await addTeamMember(transaction, { organizationId, teamId, userId });
        return requireTeam(transaction, organizationId, teamId);
      });
    },
    async removeMember(caller, organizationId, teamId, userId) {
      allow(caller, organizationId, 'change team members');
      return database.transaction(async (transaction) => {
        await requireTeam(transaction, organizationId, teamId);
        if (!(await removeTeamMember(transaction, { organizationId, teamId, userId }))) {
          throw errors.notFound(`The user '${userId}' in team '${teamId}'`, 'userId');
        }
        return requireTeam(transaction, organizationId, teamId);
      });
    },
  };
}
