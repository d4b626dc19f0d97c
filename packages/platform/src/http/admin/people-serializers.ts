import type { Invitation, Member, Team, User } from '../../identity/index.ts';

export function serializeUser(user: User) {
  return {
    id: user.id,
    object: 'user' as const,
    email: user.email,
    name: user.name,
    status: user.status,
    created_at: user.createdAt.toISOString(),
  };
}

/** A member, listed by user id (the id the member routes take). */
export function serializeMember(member: Member) {
  return {
    id: member.user.id,
    object: 'organization.member' as const,
    organization_id: member.organizationId,
    email: member.user.email,
    name: member.user.name,
    status: member.user.status,
    role: member.role,
    team_ids: member.teamIds,
    joined_at: member.joinedAt.toISOString(),
  };
}

export function serializeTeam(team: Team) {
  return {
    id: team.id,
    object: 'team' as const,
    organization_id: team.organizationId,
    name: team.name,
    metadata: team.metadata,
    member_ids: team.memberIds,
    created_at: team.createdAt.toISOString(),
  };
}

/** An invitation as lists show it: never its token. */
export function serializeInvitation(invitation: Invitation) {
  const status = invitation.revokedAt
    ? 'revoked'
    : invitation.acceptedAt
      ? 'accepted'
      : invitation.expiresAt.getTime() <= Date.now()
        ? 'expired'
        : 'pending';
  return {
    id: invitation.id,
    object: 'invitation' as const,
    organization_id: invitation.organizationId,
    email: invitation.email,
    role: invitation.role,
    team_id: invitation.teamId,
    status,
    invited_by: invitation.invitedBy,
    expires_at: invitation.expiresAt.toISOString(),
    accepted_at: invitation.acceptedAt?.toISOString() ?? null,
    accepted_by: invitation.acceptedBy,
    created_at: invitation.createdAt.toISOString(),
  };
}
