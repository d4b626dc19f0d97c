import { errors } from '../../errors/index.ts';
import { attributionOf } from '../../identity/audit/index.ts';
import {
  findMember,
  identityErrors,
  listMembers,
  lockOwners,
  type Member,
  removeMembership,
  requirePermission,
  setMembershipRole,
  touchMemberKeys,
} from '../../identity/index.ts';
import type { Queryable } from '../../storage/db/index.ts';
import type { AuthContext, OrganizationRole } from '../../tenancy/index.ts';
import type { AdministrationDependencies, PageRequest } from './administration-dependencies.ts';

/** The people of an organisation: list them, change a role, remove one. */
export interface MemberServices {
  list(caller: AuthContext, organizationId: string, page: PageRequest): Promise<Member[]>;
  get(caller: AuthContext, organizationId: string, userId: string): Promise<Member>;
  /** Making or unmaking an owner takes `admin:owners`; the last owner stays an owner. */
  setRole(
    caller: AuthContext,
    organizationId: string,
    userId: string,
    role: OrganizationRole,
  ): Promise<Member>;
  /** Removes the person from the organisation and its teams; their keys and browser sessions stop working at once. */
  remove(caller: AuthContext, organizationId: string, userId: string): Promise<void>;
}

async function requireMember(database: Queryable, organizationId: string, userId: string): Promise<Member> {
  const member = await findMember(database, organizationId, userId);
  if (!member) throw identityErrors.notMember(userId);
  return member;
}

/** Refuses a change that would leave the organisation without an owner. */
async function keepAnOwner(database: Queryable, organizationId: string, leaving: Member): Promise<void> {
  if (leaving.role !== 'owner') return;
  const owners = await lockOwners(database, organizationId);
  if (owners.length <= 1) throw identityErrors.lastOwner();
}

export function createMemberServices(dependencies: AdministrationDependencies): MemberServices {
  const { audit } = dependencies;
  return {
    async list(caller, organizationId, page) {
      requirePermission(caller, 'admin:members', organizationId, 'list members');
      const database = dependencies.database.forOrganization(organizationId);
      return listMembers(database, organizationId, page);
    },
    async get(caller, organizationId, userId) {
      requirePermission(caller, 'admin:members', organizationId, 'read members');
      const database = dependencies.database.forOrganization(organizationId);
      return requireMember(database, organizationId, userId);
    },
    async setRole(caller, organizationId, userId, role) {
      requirePermission(caller, 'admin:members', organizationId, 'change roles');
      const database = dependencies.database.forOrganization(organizationId);
      const { member, hashes } = await database.transaction(async (transaction) => {
        const current = await requireMember(transaction, organizationId, userId);
        if (role === 'owner' || current.role === 'owner') {
          requirePermission(caller, 'admin:owners', organizationId, 'make or unmake owners');
        }
        if (role !== 'owner') await keepAnOwner(transaction, organizationId, current);
        await setMembershipRole(transaction, organizationId, userId, role);
        const hashes = await touchMemberKeys(transaction, organizationId, userId);
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId,
          action: 'member.role_changed',
          target: { type: 'user', id: userId },
          before: { role: current.role },
          after: { role },
        });
        return { member: await requireMember(transaction, organizationId, userId), hashes };
      });
      await dependencies.authenticator.announceChange(hashes);
      return member;
    },
    async remove(caller, organizationId, userId) {
      requirePermission(caller, 'admin:members', organizationId, 'remove members');
      const database = dependencies.database.forOrganization(organizationId);
      if (caller.userId === userId && caller.organizationId === organizationId) {
        throw errors.invalidRequest('userId', 'You cannot remove yourself.', 'Ask another admin to do it.');
      }
      const hashes = await database.transaction(async (transaction) => {
        const current = await requireMember(transaction, organizationId, userId);
        if (current.role === 'owner')
          requirePermission(caller, 'admin:owners', organizationId, 'remove owners');
        await keepAnOwner(transaction, organizationId, current);
        const hashes = await touchMemberKeys(transaction, organizationId, userId);
        await removeMembership(transaction, organizationId, userId);
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId,
          action: 'member.removed',
          target: { type: 'user', id: userId },
          before: { email: current.user.email, role: current.role, team_ids: current.teamIds },
          after: null,
        });
        return hashes;
      });
      await dependencies.authenticator.announceChange(hashes);
      // why after the commit: each ended session is audited (session.ended, by this caller) and
      // marked revoked in the key-value store, so its access token is refused at once.
      await dependencies.sessions?.revokeAllForUser(
        organizationId,
        userId,
        'member-removed',
        attributionOf(caller),
      );
    },
  };
}
