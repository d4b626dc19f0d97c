import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AdministrationServices } from '../../platform/index.ts';
import { organizationRoles } from '../../tenancy/index.ts';
import { callerOf } from '../authentication.ts';
import { listEnvelopeSchema } from '../openapi/index.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';
import { paginationSchema } from './admin-organization-routes.ts';
import { listEnvelope } from './admin-serializers.ts';
import {
  invitationExample,
  invitationSchema,
  memberExample,
  memberSchema,
  serializeInvitation,
  serializeMember,
  serializeTeam,
  teamExample,
  teamSchema,
} from './people-serializers.ts';

const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });
const memberParamsSchema = organizationParamsSchema.extend({ userId: z.string().min(1).max(64) });
const teamParamsSchema = organizationParamsSchema.extend({ teamId: z.string().min(1).max(64) });
const teamMemberParamsSchema = teamParamsSchema.extend({ userId: z.string().min(1).max(64) });
const invitationParamsSchema = organizationParamsSchema.extend({ invitationId: z.string().min(1).max(64) });

const metadataSchema = z
  .record(z.string().max(64), z.unknown())
  .refine((value) => JSON.stringify(value).length <= 16_384, 'must serialise to at most 16 KiB');

const roleChangeSchema = z.strictObject({ role: z.enum(organizationRoles) });
const createTeamSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  metadata: metadataSchema.default({}),
});
const updateTeamSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  metadata: metadataSchema.optional(),
});
const createInvitationSchema = z.strictObject({
  email: z.email().max(320),
  role: z.enum(organizationRoles).default('developer'),
  team_id: z.string().min(1).max(64).nullish(),
  expires_in_hours: z.number().int().min(1).max(720).optional(),
});

const memberDeletedSchema = z
  .object({ object: z.literal('organization.member.deleted'), id: z.string(), deleted: z.literal(true) })
  .meta({ id: 'OrganizationMemberDeleted' });
const teamDeletedSchema = z
  .object({ object: z.literal('team.deleted'), id: z.string(), deleted: z.literal(true) })
  .meta({ id: 'TeamDeleted' });
const issuedInvitationSchema = invitationSchema
  .extend({
    token: z.string().describe('The invitation token: shown this once; the invitee accepts with it.'),
    accept_url: z
      .string()
      .describe('The dashboard link that accepts the invitation (from `identity.public_url`).'),
    webhook_delivered: z
      .boolean()
      .nullable()
      .describe("Whether the operator's invitation webhook took it; null when none is configured."),
  })
  .meta({ id: 'IssuedInvitation' });
const memberListSchema = listEnvelopeSchema(memberSchema, 'OrganizationMemberList');
const teamListSchema = listEnvelopeSchema(teamSchema, 'TeamList');
const invitationListSchema = listEnvelopeSchema(invitationSchema, 'InvitationList');
const membersTag = 'Admin: members';
const teamsTag = 'Admin: teams';
const invitationsTag = 'Admin: invitations';

function page<Item extends { id: string }>(item: Item) {
  return { object: 'list' as const, data: [item], has_more: false, last_id: item.id };
}

/** People, teams and invitations of an organisation: `/v1/admin/organizations/{id}/members|teams|invitations`. */
export function registerAdminPeopleRoutes(
  app: FastifyInstance,
  administration: AdministrationServices,
): void {
  const { members, teams, invitations } = administration;
  const base = '/v1/admin/organizations/:organizationId';

  app.get(
    `${base}/members`,
    requires('admin:members', {
      operationId: 'listMembers',
      summary: "List an organisation's members",
      tag: membersTag,
      params: organizationParamsSchema,
      query: paginationSchema,
      responses: {
        200: { description: 'A page of members.', schema: memberListSchema, example: page(memberExample) },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      const query = parseWith(paginationSchema, request.query);
      const page = await members.list(callerOf(request), organizationId, {
        limit: query.limit + 1,
        ...(query.after ? { after: query.after } : {}),
      });
      return listEnvelope(page.map(serializeMember), query.limit);
    },
  );

  app.get(
    `${base}/members/:userId`,
    requires('admin:members', {
      operationId: 'getMember',
      summary: 'Get a member',
      tag: membersTag,
      params: memberParamsSchema,
      responses: { 200: { description: 'The member.', schema: memberSchema, example: memberExample } },
      errors: [404],
    }),
    async (request) => {
      const { organizationId, userId } = parseWith(memberParamsSchema, request.params);
      return serializeMember(await members.get(callerOf(request), organizationId, userId));
    },
  );

  app.patch(
    `${base}/members/:userId`,
    requires('admin:members', {
      operationId: 'updateMemberRole',
      summary: "Change a member's role",
      description:
        'Making or unmaking an owner needs `admin:owners` too; the last owner cannot be demoted (409). The keys of the person follow the new role at once.',
      tag: membersTag,
      params: memberParamsSchema,
      body: roleChangeSchema,
      bodyExample: { role: 'admin' },
      responses: {
        200: {
          description: 'The member with the new role.',
          schema: memberSchema,
          example: { ...memberExample, role: 'admin' },
        },
      },
      errors: [404, 409],
    }),
    async (request) => {
      const { organizationId, userId } = parseWith(memberParamsSchema, request.params);
      const body = parseWith(roleChangeSchema, request.body);
      return serializeMember(await members.setRole(callerOf(request), organizationId, userId, body.role));
    },
  );

  app.delete(
    `${base}/members/:userId`,
    requires('admin:members', {
      operationId: 'removeMember',
      summary: 'Remove a member from the organisation',
      description:
        'Also removes them from its teams; their keys and browser sessions stop working at once. The last owner cannot be removed (409).',
      tag: membersTag,
      params: memberParamsSchema,
      responses: {
        200: {
          description: 'The member is removed.',
          schema: memberDeletedSchema,
          example: { object: 'organization.member.deleted', id: memberExample.id, deleted: true },
        },
      },
      errors: [404, 409],
    }),
    async (request) => {
      const { organizationId, userId } = parseWith(memberParamsSchema, request.params);
      await members.remove(callerOf(request), organizationId, userId);
      return { object: 'organization.member.deleted', id: userId, deleted: true };
    },
  );

  app.post(
    `${base}/teams`,
    requires('admin:members', {
      operationId: 'createTeam',
      summary: 'Create a team',
      tag: teamsTag,
      params: organizationParamsSchema,
      body: createTeamSchema,
      bodyExample: { name: 'research' },
      responses: {
        201: {
          description: 'The team (no members yet).',
          schema: teamSchema,
          example: { ...teamExample, member_ids: [] },
        },
      },
      errors: [404, 409],
    }),
    async (request, reply) => {
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      const body = parseWith(createTeamSchema, request.body);
      reply.code(201);
      return serializeTeam(await teams.create(callerOf(request), organizationId, body));
    },
  );

  app.get(
    `${base}/teams`,
    requires('admin:members', {
      operationId: 'listTeams',
      summary: "List an organisation's teams",
      tag: teamsTag,
      params: organizationParamsSchema,
      query: paginationSchema,
      responses: {
        200: { description: 'A page of teams.', schema: teamListSchema, example: page(teamExample) },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      const query = parseWith(paginationSchema, request.query);
      const page = await teams.list(callerOf(request), organizationId, {
        limit: query.limit + 1,
        ...(query.after ? { after: query.after } : {}),
      });
      return listEnvelope(page.map(serializeTeam), query.limit);
    },
  );

  app.get(
    `${base}/teams/:teamId`,
    requires('admin:members', {
      operationId: 'getTeam',
      summary: 'Get a team',
      tag: teamsTag,
      params: teamParamsSchema,
      responses: { 200: { description: 'The team.', schema: teamSchema, example: teamExample } },
      errors: [404],
    }),
    async (request) => {
      const { organizationId, teamId } = parseWith(teamParamsSchema, request.params);
      return serializeTeam(await teams.get(callerOf(request), organizationId, teamId));
    },
  );

  app.patch(
    `${base}/teams/:teamId`,
    requires('admin:members', {
      operationId: 'updateTeam',
      summary: 'Rename a team or replace its metadata',
      tag: teamsTag,
      params: teamParamsSchema,
      body: updateTeamSchema,
      bodyExample: { name: 'research-eu' },
      responses: {
        200: {
          description: 'The team as changed.',
          schema: teamSchema,
          example: { ...teamExample, name: 'research-eu' },
        },
      },
      errors: [404, 409],
    }),
    async (request) => {
      const { organizationId, teamId } = parseWith(teamParamsSchema, request.params);
      const body = parseWith(updateTeamSchema, request.body);
      return serializeTeam(
        await teams.update(callerOf(request), organizationId, teamId, {
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(body.metadata !== undefined ? { metadata: body.metadata } : {}),
        }),
      );
    },
  );

  app.delete(
    `${base}/teams/:teamId`,
    requires('admin:members', {
      operationId: 'deleteTeam',
      summary: 'Delete a team',
      tag: teamsTag,
      params: teamParamsSchema,
      responses: {
        200: {
          description: 'The team is deleted.',
          schema: teamDeletedSchema,
          example: { object: 'team.deleted', id: teamExample.id, deleted: true },
        },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId, teamId } = parseWith(teamParamsSchema, request.params);
      await teams.delete(callerOf(request), organizationId, teamId);
      return { object: 'team.deleted', id: teamId, deleted: true };
    },
  );

  app.put(
    `${base}/teams/:teamId/members/:userId`,
    requires('admin:members', {
      operationId: 'addTeamMember',
      summary: 'Add a member to a team',
      description: 'Idempotent: adding a member who is in the team already changes nothing.',
      tag: teamsTag,
      params: teamMemberParamsSchema,
      responses: {
        200: { description: 'The team with the member.', schema: teamSchema, example: teamExample },
      },
      // why 413/415: no body is read, but one sent is parsed (and refused) before the handler runs.
      errors: [404, 413, 415],
    }),
    async (request) => {
      const { organizationId, teamId, userId } = parseWith(teamMemberParamsSchema, request.params);
      return serializeTeam(await teams.addMember(callerOf(request), organizationId, teamId, userId));
    },
  );

  app.delete(
    `${base}/teams/:teamId/members/:userId`,
    requires('admin:members', {
      operationId: 'removeTeamMember',
      summary: 'Remove a member from a team',
      tag: teamsTag,
      params: teamMemberParamsSchema,
      responses: {
        200: {
          description: 'The team without the member.',
          schema: teamSchema,
          example: { ...teamExample, member_ids: [] },
        },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId, teamId, userId } = parseWith(teamMemberParamsSchema, request.params);
      return serializeTeam(await teams.removeMember(callerOf(request), organizationId, teamId, userId));
    },
  );

  app.post(
    `${base}/invitations`,
    requires('admin:members', {
      operationId: 'createInvitation',
      summary: 'Invite a person (the token is shown once)',
      description:
        'The invitee accepts with `POST /v1/invitations/accept` and the token. When the operator configured an invitation webhook, the invitation is posted to it too (`webhook_delivered`).',
      tag: invitationsTag,
      params: organizationParamsSchema,
      body: createInvitationSchema,
      bodyExample: { email: 'grace@example.com', role: 'developer', expires_in_hours: 168 },
      responses: {
        201: {
          description: 'The invitation, with its token.',
          schema: issuedInvitationSchema,
          example: {
            ...invitationExample,
            token: 'kimi-invite-Qm7Zr2Wk9Lx4Tb1cV8nH3sJ6pD0aE5fG',
            accept_url:
              'https://kimi.example.com/dashboard/accept-invitation?token=kimi-invite-Qm7Zr2Wk9Lx4Tb1cV8nH3sJ6pD0aE5fG',
            webhook_delivered: null,
          },
        },
      },
      errors: [404, 409],
    }),
    async (request, reply) => {
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      const body = parseWith(createInvitationSchema, request.body);
      const issued = await invitations.create(callerOf(request), organizationId, {
        email: body.email,
        role: body.role,
        teamId: body.team_id ?? null,
        ...(body.expires_in_hours ? { ttlHours: body.expires_in_hours } : {}),
      });
      reply.code(201);
      return {
        ...serializeInvitation(issued.invitation),
        token: issued.token,
        accept_url: issued.acceptUrl,
        webhook_delivered: issued.delivered,
      };
    },
  );

  app.get(
    `${base}/invitations`,
    requires('admin:members', {
      operationId: 'listInvitations',
      summary: "List an organisation's invitations",
      tag: invitationsTag,
      params: organizationParamsSchema,
      query: paginationSchema,
      responses: {
        200: {
          description: 'A page of invitations (never their tokens).',
          schema: invitationListSchema,
          example: page(invitationExample),
        },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      const query = parseWith(paginationSchema, request.query);
      const page = await invitations.list(callerOf(request), organizationId, {
        limit: query.limit + 1,
        ...(query.after ? { after: query.after } : {}),
      });
      return listEnvelope(page.map(serializeInvitation), query.limit);
    },
  );

  app.delete(
    `${base}/invitations/:invitationId`,
    requires('admin:members', {
      operationId: 'revokeInvitation',
      summary: 'Revoke an invitation',
      tag: invitationsTag,
      params: invitationParamsSchema,
      responses: {
        200: {
          description: 'The revoked invitation.',
          schema: invitationSchema,
          example: { ...invitationExample, status: 'revoked' },
        },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId, invitationId } = parseWith(invitationParamsSchema, request.params);
      return serializeInvitation(await invitations.revoke(callerOf(request), organizationId, invitationId));
    },
  );
}
