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
import { invitationExample, invitationSchema, page, serializeInvitation } from './people-serializers.ts';

const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });
const invitationParamsSchema = organizationParamsSchema.extend({ invitationId: z.string().min(1).max(64) });

const createInvitationSchema = z.strictObject({
  email: z.email().max(320),
  role: z.enum(organizationRoles).default('developer'),
  team_id: z.string().min(1).max(64).nullish(),
  expires_in_hours: z.number().int().min(1).max(720).optional(),
});

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
const invitationListSchema = listEnvelopeSchema(invitationSchema, 'InvitationList');
const invitationsTag = 'Admin: invitations';

/** Invitations of an organisation: `/v1/admin/organizations/{id}/invitations` (accepting one is public, in http/identity). */
export function registerAdminInvitationRoutes(
  app: FastifyInstance,
  invitations: AdministrationServices['invitations'],
): void {
  const base = '/v1/admin/organizations/:organizationId';

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
