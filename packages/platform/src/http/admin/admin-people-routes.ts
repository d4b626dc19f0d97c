import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AdministrationServices } from '../../platform/index.ts';
import { organizationRoles } from '../../tenancy/index.ts';
import { callerOf } from '../authentication.ts';
import { listEnvelopeSchema } from '../openapi/index.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';
import { registerAdminInvitationRoutes } from './admin-invitation-routes.ts';
import { paginationSchema } from './admin-organization-routes.ts';
import { listEnvelope } from './admin-serializers.ts';
import {
  memberExample,
  memberSchema,
  page,
  serializeMember,
  serializeTeam,
  teamExample,
  teamSchema,
} from './people-serializers.ts';

const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });
const memberParamsSchema = organizationParamsSchema.extend({ userId: z.string().min(1).max(64) });
const teamParamsSchema = organizationParamsSchema.extend({ teamId: z.string().min(1).max(64) });
const teamMemberParamsSchema = teamParamsSchema.extend({ userId: z.string().min(1).max(64) });

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

const memberDeletedSchema = z
  .object({ object: z.literal('organization.member.deleted'), id: z.string(), deleted: z.literal(true) })
  .meta({ id: 'OrganizationMemberDeleted' });
const teamDeletedSchema = z
  .object({ object: z.literal('team.deleted'), id: z.string(), deleted: z.literal(true) })
  .meta({ id: 'TeamDeleted' });
const memberListSchema = listEnvelopeSchema(memberSchema, 'OrganizationMemberList');
const teamListSchema = listEnvelopeSchema(teamSchema, 'TeamList');
const membersTag = 'Admin: members';
const teamsTag = 'Admin: teams';

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

  registerAdminInvitationRoutes(app, invitations);
}
