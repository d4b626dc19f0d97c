import type { Queryable } from '../storage/db/index.ts';
import { findMember } from './membership-repository.ts';
import type { SessionMembershipDirectory } from './sessions/index.ts';

/**
 * The `SessionMembershipDirectory` port on `memberships`: a session's role is the member's role
 * now; a member who was removed, or whose account is disabled, has none (the session ends at its
 * next refresh).
 */
export function createSessionMembershipDirectory(database: Queryable): SessionMembershipDirectory {
  return {
    async currentRole({ organizationId, userId }) {
      const member = await findMember(database, organizationId, userId);
      if (!member || member.user.status === 'disabled') return null;
      return member.role;
    },
  };
}
