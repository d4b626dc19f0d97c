import { z } from 'zod';
import type { Invitation, Member, Team, User } from '../../identity/index.ts';
import { organizationRoles } from '../../tenancy/index.ts';
import { metadataSchema, timestampSchema } from '../openapi/index.ts';

const userStatusSchema = z.enum(['active', 'disabled']);

export const userSchema = z
  .object({
    id: z.string(),
    object: z.literal('user'),
    email: z.string(),
    name: z.string().nullable(),
    status: userStatusSchema,
    created_at: timestampSchema,
  })
  .meta({ id: 'User', description: 'A person: one account, member of any number of organisations.' });

export const userExample = {
  id: 'usr_7hNq2Kd9Wm4xP1sT',
  object: 'user',
  email: 'ada@example.com',
  name: 'Ada',
  status: 'active',
  created_at: '2026-12-07T16:00:00.000Z',
} satisfies z.output<typeof userSchema>;

export function serializeUser(user: User): z.output<typeof userSchema> {
  return {
    id: user.id,
    object: 'user' as const,
    email: user.email,
    name: user.name,
    status: user.status,
    created_at: user.createdAt.toISOString(),
  };
}

export const memberSchema = z
  .object({
    id: z.string().describe('The user id: the id the member routes take.'),
    object: z.literal('organization.member'),
    organization_id: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    status: userStatusSchema,
    role: z.enum(organizationRoles),
    team_ids: z.array(z.string()).describe("The organisation's teams the member is in."),
    joined_at: timestampSchema,
  })
  .meta({ id: 'OrganizationMember', description: "A person's membership of an organisation." });

export const memberExample = {
  id: userExample.id,
  object: 'organization.member',
  organization_id: 'org_3kTtV5xQ1mZ8rB2w',
  email: userExample.email,
  name: userExample.name,
  status: 'active',
  role: 'developer',
  team_ids: ['team_2bVx8Lq5Rz1nC7mK'],
  joined_at: '2026-12-07T16:00:00.000Z',
} satisfies z.output<typeof memberSchema>;

/** A member, listed by user id (the id the member routes take). */
export function serializeMember(member: Member): z.output<typeof memberSchema> {
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

export const teamSchema = z
  .object({
    id: z.string(),
    object: z.literal('team'),
    organization_id: z.string(),
    name: z.string(),
    metadata: metadataSchema,
    member_ids: z.array(z.string()).describe('The user ids of its members.'),
    created_at: timestampSchema,
  })
  .meta({
    id: 'Team',
    description: "A group of an organisation's members (keys and budgets can belong to one).",
  });

export const teamExample = {
  id: 'team_2bVx8Lq5Rz1nC7mK',
  object: 'team',
  organization_id: 'org_3kTtV5xQ1mZ8rB2w',
  name: 'research',
  metadata: {},
  member_ids: [userExample.id],
  created_at: '2026-12-07T16:00:00.000Z',
} satisfies z.output<typeof teamSchema>;

export function serializeTeam(team: Team): z.output<typeof teamSchema> {
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

export const invitationSchema = z
  .object({
    id: z.string(),
    object: z.literal('invitation'),
    organization_id: z.string(),
    email: z.string(),
    role: z.enum(organizationRoles).describe('The role the person gets on accepting.'),
    team_id: z.string().nullable().describe('The team the person joins on accepting, if any.'),
    status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
    invited_by: z.string().describe('Who invited: a user id, or the key id of a service key.'),
    expires_at: timestampSchema,
    accepted_at: timestampSchema.nullable(),
    accepted_by: z.string().nullable().describe('The user id of the person who accepted.'),
    created_at: timestampSchema,
  })
  .meta({ id: 'Invitation', description: 'An invitation to join an organisation, never with its token.' });

export const invitationExample = {
  id: 'inv_9cRw3Hn6Tq2yL8vB',
  object: 'invitation',
  organization_id: 'org_3kTtV5xQ1mZ8rB2w',
  email: 'grace@example.com',
  role: 'developer',
  team_id: null,
  status: 'pending',
  invited_by: userExample.id,
  expires_at: '2026-12-14T16:00:00.000Z',
  accepted_at: null,
  accepted_by: null,
  created_at: '2026-12-07T16:00:00.000Z',
} satisfies z.output<typeof invitationSchema>;

/** An invitation as lists show it: never its token. */
export function serializeInvitation(invitation: Invitation): z.output<typeof invitationSchema> {
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

/** A one-item list page, for examples. */
export function page<Item extends { id: string }>(item: Item) {
  return { object: 'list' as const, data: [item], has_more: false, last_id: item.id };
}
