import type { Database, Queryable } from '../storage/db/index.ts';
import type { Clock } from '../support/index.ts';
import { findOrganization } from '../tenancy/index.ts';
import type { AuditLog } from './audit/index.ts';
import {
  addMembership,
  findMember,
  lockOwners,
  setMembershipRole,
  touchMemberKeys,
} from './membership-repository.ts';
import {
  findSsoConnectionSummary,
  type MembershipRole,
  type SignInDecision,
  type SignInDirectory,
  type SignInRequest,
} from './sso/index.ts';
import { findLinkedIdentity, linkIdentity, recordIdentitySignIn } from './user-identity-repository.ts';
import { findOrCreateUser, findUser, type User } from './user-repository.ts';

export interface SignInDirectoryOptions {
  database: Database;
  clock: Clock;
  /** Memberships created and roles changed by a sign-in are recorded here, in its transaction. */
  audit: AuditLog;
  /** Told the secret hashes of personal keys whose role a sign-in changed (after it committed). */
  onMemberKeysChanged(secretHashes: readonly string[]): Promise<void>;
}

type Resolution = { decision: SignInDecision; changedKeyHashes: readonly string[] };

const refused = (reason: string): Resolution => ({
  decision: { outcome: 'refused', reason },
  changedKeyHashes: [],
});

/**
 * The user a verified identity is: the one its (issuer, subject) is linked to; otherwise, just in
 * time, the user with the token's email — only when the provider verified that email — found or
 * created and linked from now on. A refusal says why.
 */
async function userOf(
  transaction: Queryable,
  request: SignInRequest,
  now: Date,
): Promise<User | { refusal: string }> {
  const linked = await findLinkedIdentity(transaction, request.issuer, request.subject);
  if (linked) {
    await recordIdentitySignIn(transaction, request, now);
    const user = await findUser(transaction, linked.userId);
    return user ?? { refusal: 'the account linked to this identity no longer exists' };
  }
  if (!request.email) {
    return { refusal: "the identity provider sent no email address (check the connection's email_claim)" };
  }
  if (request.emailVerified !== true) {
    return {
      refusal: `the identity provider did not confirm that ${request.email} is verified (email_verified is not true)`,
    };
  }
  const user = await findOrCreateUser(transaction, { email: request.email, name: request.name });
  const linkedUserId = await linkIdentity(
    transaction,
    { ...request, userId: user.id, organizationId: request.organizationId },
    now,
  );
  if (linkedUserId === user.id) return user;
  return (await findUser(transaction, linkedUserId)) ?? { refusal: 'the linked account no longer exists' };
}

/**
 * The people of an organisation as single sign-on sees them (the `SignInDirectory` port on
 * `users`, `user_identities` and `memberships`).
 *
 * - A person who is not a member yet becomes one with the mapped role (`member.added`).
 * - A member's role follows the connection's mapping at each sign-in when the connection has a
 *   non-empty `role_mapping` (the mapped role, or `default_role` when no group matches): the
 *   provider is then where roles are managed (`member.role_changed`). With an empty mapping the
 *   role is managed in the platform and a sign-in leaves it as it is. The last owner stays an owner.
 * - Disabled users and disabled organisations are refused.
 */
export function createSignInDirectory(options: SignInDirectoryOptions): SignInDirectory {
  const { database, audit, clock } = options;

  async function resolveIn(transaction: Queryable, request: SignInRequest): Promise<Resolution> {
    const { organizationId, mappedRole } = request;
    const organization = await findOrganization(transaction, organizationId);
    if (!organization || organization.disabledAt) return refused('the organisation is disabled');
    const found = await userOf(transaction, request, new Date(clock.now()));
    if ('refusal' in found) return refused(found.refusal);
    const user = found;
    if (user.status === 'disabled') return refused('the account is disabled');
    const actor = { type: 'user' as const, id: user.id, organizationId };
    const target = { type: 'member', id: user.id };
    const member = await findMember(transaction, organizationId, user.id);
    if (!member) {
      await addMembership(transaction, { organizationId, userId: user.id, role: mappedRole });
      await audit.record(transaction, {
        actor,
        origin: request.origin,
        organizationId,
        action: 'member.added',
        target,
        before: null,
        after: { user_id: user.id, email: user.email, role: mappedRole, source: 'single_sign_on' },
      });
      return accepted(user.id, mappedRole, []);
    }
    const connection = await findSsoConnectionSummary(transaction, organizationId);
    const followsMapping = connection !== null && Object.keys(connection.roleMapping).length > 0;
    if (!followsMapping || member.role === mappedRole) return accepted(user.id, member.role, []);
    if (member.role === 'owner' && (await lockOwners(transaction, organizationId)).length <= 1) {
      return accepted(user.id, 'owner', []);
    }
    await setMembershipRole(transaction, organizationId, user.id, mappedRole);
    const hashes = await touchMemberKeys(transaction, organizationId, user.id);
    await audit.record(transaction, {
      actor,
      origin: request.origin,
      organizationId,
      action: 'member.role_changed',
      target,
      before: { role: member.role },
      after: { role: mappedRole, source: 'single_sign_on_role_mapping' },
    });
    return accepted(user.id, mappedRole, hashes);
  }

  return {
    async resolve(request) {
      const resolution = await database.transaction((transaction) => resolveIn(transaction, request));
      if (resolution.changedKeyHashes.length > 0)
        await options.onMemberKeysChanged(resolution.changedKeyHashes);
      return resolution.decision;
    },
  };
}

function accepted(userId: string, role: MembershipRole, changedKeyHashes: readonly string[]): Resolution {
  return { decision: { outcome: 'accepted', userId, role }, changedKeyHashes };
}
