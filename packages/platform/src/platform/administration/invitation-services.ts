import { errors } from '../../errors/index.ts';
import { type AuditLog, attributionOf } from '../../identity/audit/index.ts';
import {
  addMembership,
  addTeamMember,
  createInvitation,
  findMember,
  findOrCreateUser,
  findTeam,
  findUserByEmail,
  type IdentityConfig,
  type Invitation,
  identityErrors,
  listInvitations,
  lockInvitationByToken,
  markInvitationAccepted,
  requirePermission,
  revokeInvitation,
  type User,
} from '../../identity/index.ts';
import { findSsoConnectionSummary } from '../../identity/sso/index.ts';
import type { Database } from '../../storage/db/index.ts';
import type { Clock } from '../../support/index.ts';
import {
  type ApiKey,
  type AuthContext,
  createApiKey,
  findOrganization,
  type OrganizationRole,
  type RequestOrigin,
} from '../../tenancy/index.ts';
import type { PageRequest } from './administration-dependencies.ts';

const hourMs = 3_600_000;

export interface InvitationDependencies {
  database: Database;
  audit: AuditLog;
  clock: Clock;
  /** The `identity:` config in force. */
  config: () => IdentityConfig;
  /** Posts a JSON body to the operator's invitation webhook; throws when it was not accepted. */
  deliver: (url: string, body: Record<string, unknown>) => Promise<void>;
  onDeliveryError: (error: unknown) => void;
}

/** A new invitation, with its token (shown this once) and the link that accepts it. */
export interface IssuedInvitation {
  invitation: Invitation;
  token: string;
  acceptUrl: string;
  /** Whether the operator's webhook took it (null when none is configured). */
  delivered: boolean | null;
}

/**
 * What accepting an invitation gives: the person, their membership and a personal key (its secret
 * shown once) — or, where the organisation requires single sign-on, no key but the URL that signs
 * them in through the organisation's identity provider.
 */
export interface AcceptedInvitation {
  user: User;
  organizationId: string;
  role: OrganizationRole;
  apiKey: ApiKey | null;
  secret: string | null;
  /** `{public_url}/v1/auth/sso/{organization}/start` when the organisation requires SSO; else null. */
  signInUrl: string | null;
}

/**
 * Invitations: an admin invites an email with a role (and optionally a team); the single-use,
 * expiring token accepts it without any other credential.
 */
export interface InvitationServices {
  create(
    caller: AuthContext,
    organizationId: string,
    input: { email: string; role: OrganizationRole; teamId: string | null; ttlHours?: number },
  ): Promise<IssuedInvitation>;
  list(caller: AuthContext, organizationId: string, page: PageRequest): Promise<Invitation[]>;
  revoke(caller: AuthContext, organizationId: string, invitationId: string): Promise<Invitation>;
  /** `origin`: where the accepting request came from, for the audit log. */
  accept(
    token: string,
    input: { name: string | null; origin: RequestOrigin | null },
  ): Promise<AcceptedInvitation>;
}

export function createInvitationServices(dependencies: InvitationDependencies): InvitationServices {
  const { clock, audit } = dependencies;
  const summary = (invitation: Invitation) => ({
    email: invitation.email,
    role: invitation.role,
    team_id: invitation.teamId,
    expires_at: invitation.expiresAt.toISOString(),
  });

  function acceptUrlOf(token: string): string {
    const base = dependencies.config().public_url.replace(/\/+$/, '');
    return `${base}/dashboard/accept-invitation?token=${encodeURIComponent(token)}`;
  }

  function signInUrlOf(organizationId: string): string {
    const base = dependencies.config().public_url.replace(/\/+$/, '');
    return `${base}/v1/auth/sso/${encodeURIComponent(organizationId)}/start`;
  }

  async function deliver(issued: Omit<IssuedInvitation, 'delivered'>): Promise<boolean | null> {
    const url = dependencies.config().invitations.webhook_url;
    if (!url) return null;
    try {
      await dependencies.deliver(url, {
        type: 'invitation.created',
        invitation_id: issued.invitation.id,
        organization_id: issued.invitation.organizationId,
        email: issued.invitation.email,
        role: issued.invitation.role,
        accept_url: issued.acceptUrl,
        expires_at: issued.invitation.expiresAt.toISOString(),
      });
      return true;
    } catch (error) {
      dependencies.onDeliveryError(error);
      return false;
    }
  }

  return {
    async create(caller, organizationId, input) {
      requirePermission(caller, 'admin:members', organizationId, 'invite people');
      const database = dependencies.database.forOrganization(organizationId);
      if (input.role === 'owner') requirePermission(caller, 'admin:owners', organizationId, 'invite owners');
      const ttlHours = input.ttlHours ?? dependencies.config().invitations.ttl_hours;
      const issued = await database.transaction(async (transaction) => {
        const organization = await findOrganization(transaction, organizationId);
        if (!organization || organization.disabledAt) {
          throw errors.notFound(`Organization '${organizationId}'`, 'organizationId');
        }
        if (input.teamId && !(await findTeam(transaction, organizationId, input.teamId))) {
          throw errors.notFound(`Team '${input.teamId}'`, 'team_id');
        }
        const existing = await findUserByEmail(transaction, input.email);
        if (existing && (await findMember(transaction, organizationId, existing.id))) {
          throw identityErrors.alreadyMember(input.email);
        }
        const created = await createInvitation(transaction, {
          organizationId,
          email: input.email,
          role: input.role,
          teamId: input.teamId,
          invitedBy: caller.userId ?? caller.apiKeyId,
          expiresAt: new Date(clock.now() + ttlHours * hourMs),
        });
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId,
          action: 'invitation.created',
          target: { type: 'invitation', id: created.invitation.id },
          before: null,
          after: summary(created.invitation),
        });
        return created;
      });
      const withLink = { ...issued, acceptUrl: acceptUrlOf(issued.token) };
      return { ...withLink, delivered: await deliver(withLink) };
    },
    async list(caller, organizationId, page) {
      requirePermission(caller, 'admin:members', organizationId, 'list invitations');
      const database = dependencies.database.forOrganization(organizationId);
      return listInvitations(database, organizationId, page);
    },
    async revoke(caller, organizationId, invitationId) {
      requirePermission(caller, 'admin:members', organizationId, 'revoke invitations');
      const database = dependencies.database.forOrganization(organizationId);
      const revoked = await database.transaction(async (transaction) => {
        const outcome = await revokeInvitation(transaction, organizationId, invitationId);
        if (!outcome) return null;
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId,
          action: 'invitation.revoked',
          target: { type: 'invitation', id: invitationId },
          before: summary(outcome),
          after: null,
        });
        return outcome;
      });
      if (!revoked) throw errors.notFound(`Invitation '${invitationId}'`, 'invitationId');
      return revoked;
    },
    async accept(token, input) {
      // why platform scope: the token is the only credential, so the organisation is known only once
      // the invitation is read, and the person may already exist through another organisation.
      const database = dependencies.database.forPlatform('accept an invitation');
      return database.transaction(async (transaction) => {
        const invitation = await lockInvitationByToken(transaction, token);
        if (!invitation || invitation.revokedAt || invitation.acceptedAt)
          throw identityErrors.invitationInvalid();
        if (invitation.expiresAt.getTime() <= clock.now())
          throw identityErrors.invitationExpired(invitation.expiresAt);
        const organization = await findOrganization(transaction, invitation.organizationId);
        if (!organization || organization.disabledAt) throw identityErrors.invitationInvalid();
        const user = await findOrCreateUser(transaction, { email: invitation.email, name: input.name });
        const added = await addMembership(transaction, {
          organizationId: invitation.organizationId,
          userId: user.id,
          role: invitation.role,
        });
        if (!added) throw identityErrors.alreadyMember(invitation.email);
        if (invitation.teamId) {
          await addTeamMember(transaction, {
            organizationId: invitation.organizationId,
            teamId: invitation.teamId,
            userId: user.id,
          });
        }
        await markInvitationAccepted(transaction, invitation.id, user.id);
        await audit.record(transaction, {
          actor: { type: 'user', id: user.id, organizationId: invitation.organizationId },
          origin: input.origin,
          organizationId: invitation.organizationId,
          action: 'invitation.accepted',
          target: { type: 'invitation', id: invitation.id },
          before: null,
          after: { ...summary(invitation), user_id: user.id },
        });
        const accepted = { user, organizationId: invitation.organizationId, role: invitation.role };
        const connection = await findSsoConnectionSummary(transaction, invitation.organizationId);
        // why: where members must sign in with SSO, a personal key would be a way around it.
        if (connection?.requireSso) {
          return {
            ...accepted,
            apiKey: null,
            secret: null,
            signInUrl: signInUrlOf(invitation.organizationId),
          };
        }
        const { apiKey, secret } = await createApiKey(transaction, {
          organizationId: invitation.organizationId,
          name: `${invitation.email} (personal)`,
          role: invitation.role,
          userId: user.id,
          teamId: invitation.teamId,
        });
        return { ...accepted, apiKey, secret, signInUrl: null };
      });
    },
  };
}
