import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AdministrationServices } from '../../platform/index.ts';
import { organizationRoles } from '../../tenancy/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';
import { paginationSchema } from './admin-organization-routes.ts';
import { listEnvelope } from './admin-serializers.ts';
import { serializeInvitation, serializeMember, serializeTeam } from './people-serializers.ts';

const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });
const memberParamsSchema = organizationParamsSchema.extend({ userId: z.string().min(1).max(64) });
const teamParamsSchema = organizationParamsSchema.extend({ teamId: z.string().min(1).max(64) });
const teamMemberParamsSchema = teamParamsSchema.extend({ userId: z.string().min(1).max(64) });
const invitationParamsSchema = organizationParamsSchema.extend({ invitationId: z.string().min(1).max(64) });

const metadataSchema = z
  .record(z.string().max(64), z.unknown())
  .refine((value) => JSON.stringify(value).length <= 16_384, 'must serialise to at most 16 KiB');

export const roleChangeSchema = z.strictObject({ role: z.enum(organizationRoles) });
export const createTeamSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  metadata: metadataSchema.default({}),
});
export const updateTeamSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  metadata: metadataSchema.optional(),
});
export const createInvitationSchema = z.strictObject({
  email: z.email().max(320),
  role: z.enum(organizationRoles).default('developer'),
  team_id: z.string().min(1).max(64).nullish(),
  expires_in_hours: z.number().int().min(1).max(720).optional(),
});

/** People, teams and invitations of an organisation: `/v1/admin/organizations/{id}/members|teams|invitations`. */
export function registerAdminPeopleRoutes(
  app: FastifyInstance,
  administration: AdministrationServices,
): void {
  const { members, teams, invitations } = administration;
  const base = '/v1/admin/organizations/:organizationId';

  app.get(`${base}/members`, requires('admin:members'), async (request) => {
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    const query = parseWith(paginationSchema, request.query);
    const page = await members.list(callerOf(request), organizationId, {
      limit: query.limit + 1,
      ...(query.after ? { after: query.after } : {}),
    });
    return listEnvelope(page.map(serializeMember), query.limit);
  });

  app.get(`${base}/members/:userId`, requires('admin:members'), async (request) => {
    const { organizationId, userId } = parseWith(memberParamsSchema, request.params);
    return serializeMember(await members.get(callerOf(request), organizationId, userId));
  });

  app.patch(`${base}/members/:userId`, requires('admin:members'), async (request) => {
    const { organizationId, userId } = parseWith(memberParamsSchema, request.params);
    const body = parseWith(roleChangeSchema, request.body);
    return serializeMember(await members.setRole(callerOf(request), organizationId, userId, body.role));
  });

  app.delete(`${base}/members/:userId`, requires('admin:members'), async (request) => {
    const { organizationId, userId } = parseWith(memberParamsSchema, request.params);
    await members.remove(callerOf(request), organizationId, userId);
    return { object: 'organization.member.deleted', id: userId, deleted: true };
  });

  app.post(`${base}/teams`, requires('admin:members'), async (request, reply) => {
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    const body = parseWith(createTeamSchema, request.body);
    reply.code(201);
    return serializeTeam(await teams.create(callerOf(request), organizationId, body));
  });

  app.get(`${base}/teams`, requires('admin:members'), async (request) => {
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    const query = parseWith(paginationSchema, request.query);
    const page = await teams.list(callerOf(request), organizationId, {
      limit: query.limit + 1,
      ...(query.after ? { after: query.after } : {}),
    });
    return listEnvelope(page.map(serializeTeam), query.limit);
  });

  app.get(`${base}/teams/:teamId`, requires('admin:members'), async (request) => {
    const { organizationId, teamId } = parseWith(teamParamsSchema, request.params);
    return serializeTeam(await teams.get(callerOf(request), organizationId, teamId));
  });

  app.patch(`${base}/teams/:teamId`, requires('admin:members'), async (request) => {
    const { organizationId, teamId } = parseWith(teamParamsSchema, request.params);
    const body = parseWith(updateTeamSchema, request.body);
    return serializeTeam(
      await teams.update(callerOf(request), organizationId, teamId, {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.metadata !== undefined ? { metadata: body.metadata } : {}),
      }),
    );
  });

  app.delete(`${base}/teams/:teamId`, requires('admin:members'), async (request) => {
    const { organizationId, teamId } = parseWith(teamParamsSchema, request.params);
    await teams.delete(callerOf(request), organizationId, teamId);
    return { object: 'team.deleted', id: teamId, deleted: true };
  });

  app.put(`${base}/teams/:teamId/members/:userId`, requires('admin:members'), async (request) => {
    const { organizationId, teamId, userId } = parseWith(teamMemberParamsSchema, request.params);
    return serializeTeam(await teams.addMember(callerOf(request), organizationId, teamId, userId));
  });

  app.delete(`${base}/teams/:teamId/members/:userId`, requires('admin:members'), async (request) => {
    const { organizationId, teamId, userId } = parseWith(teamMemberParamsSchema, request.params);
    return serializeTeam(await teams.removeMember(callerOf(request), organizationId, teamId, userId));
  });

  app.post(`${base}/invitations`, requires('admin:members'), async (request, reply) => {
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
  });

  app.get(`${base}/invitations`, requires('admin:members'), async (request) => {
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    const query = parseWith(paginationSchema, request.query);
    const page = await invitations.list(callerOf(request), organizationId, {
      limit: query.limit + 1,
      ...(query.after ? { after: query.after } : {}),
    });
    return listEnvelope(page.map(serializeInvitation), query.limit);
  });

  app.delete(`${base}/invitations/:invitationId`, requires('admin:members'), async (request) => {
    const { organizationId, invitationId } = parseWith(invitationParamsSchema, request.params);
    return serializeInvitation(await invitations.revoke(callerOf(request), organizationId, invitationId));
  });
}
