import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { effectivePermissions, permissions } from '../../identity/index.ts';
import type { Platform } from '../../platform/index.ts';
import { apiKeyRoles, organizationRoles, principalKinds } from '../../tenancy/index.ts';
import {
  apiKeyExample,
  apiKeySchema,
  serializeApiKey,
  serializeUser,
  userExample,
  userSchema,
} from '../admin/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';

const acceptSchema = z.strictObject({
  token: z
    .string()
    .min(1)
    .max(256)
    .describe('The invitation token (from the invitation or its accept link).'),
  name: z.string().trim().min(1).max(200).optional().describe("The person's name, for a new account."),
});

const acceptedInvitationSchema = z
  .object({
    object: z.literal('invitation.accepted'),
    organization_id: z.string(),
    role: z.enum(organizationRoles),
    user: userSchema,
    api_key: apiKeySchema
      .extend({ secret: z.string().describe('The secret: shown this once, store it now.') })
      .nullable()
      .describe('The personal key; null where the organisation requires single sign-on.'),
    sign_in_url: z
      .string()
      .nullable()
      .describe('Where the organisation requires single sign-on: the URL that starts it; else null.'),
  })
  .meta({ id: 'AcceptedInvitation', description: 'The membership an accepted invitation made.' });

const callerSchema = z
  .object({
    object: z.literal('caller'),
    organization_id: z.string(),
    role: z.enum(apiKeyRoles),
    scopes: z
      .array(z.string())
      .nullable()
      .describe("The key's scopes; null grants everything its role may do."),
    permissions: z
      .array(z.enum(permissions))
      .describe("What the caller may do: its role's permissions, narrowed by its scopes."),
    principal: z
      .enum(principalKinds)
      .describe('What authenticated the caller: an API key, a browser session or a workload JWT.'),
    api_key: z
      .object({ id: z.string(), name: z.string() })
      .describe("The principal: the key's id (`key_…`), a session's (`ses_…`) or a workload's (`jwt:…`)."),
    user_id: z.string().nullable().describe('The person the caller acts for, or null for a service key.'),
    team_id: z.string().nullable(),
  })
  .meta({ id: 'Caller', description: 'Who the caller is and what it may do.' });
const tag = 'Identity';

/**
 * `POST /v1/invitations/accept`: the invitation's token is the only credential; it makes the
 * person a member and returns their personal key (its secret shown once). No key is needed. Where
 * the organisation requires single sign-on, `api_key` is null and `sign_in_url` starts the sign-in.
 */
export function registerIdentityPublicRoutes(app: FastifyInstance, platform: Platform): void {
  app.post(
    '/v1/invitations/accept',
    requires('public', {
      operationId: 'acceptInvitation',
      summary: 'Accept an invitation (the token is the credential)',
      description:
        'Makes the person a member and returns their personal key, its secret shown once. Where the organisation requires single sign-on, `api_key` is null and `sign_in_url` starts the sign-in. An unknown or used token is a 404, an expired one a 410, an existing member a 409.',
      tag,
      body: acceptSchema,
      bodyExample: { token: 'kimi-invite-Qm7Zr2Wk9Lx4Tb1cV8nH3sJ6pD0aE5fG', name: 'Ada' },
      responses: {
        201: {
          description: 'The membership, with the personal key.',
          schema: acceptedInvitationSchema,
          example: {
            object: 'invitation.accepted',
            organization_id: apiKeyExample.organization_id,
            role: 'developer',
            user: userExample,
            api_key: {
              ...apiKeyExample,
              name: 'ada@example.com (personal)',
              user_id: userExample.id,
              allowed_models: null,
              secret: 'sk-kimi-Ab3dQ9v2Lm8xT5rW1zY7cN4bK6hJ0pF',
            },
            sign_in_url: null,
          },
        },
      },
      errors: [404, 409, 410],
    }),
    async (request, reply) => {
      const body = parseWith(acceptSchema, request.body);
      const accepted = await platform.administration.invitations.accept(body.token, {
        name: body.name ?? null,
        origin: { clientAddress: request.ip, requestId: request.id },
      });
      reply.code(201);
      return {
        object: 'invitation.accepted',
        organization_id: accepted.organizationId,
        role: accepted.role,
        user: serializeUser(accepted.user),
        api_key: accepted.apiKey ? { ...serializeApiKey(accepted.apiKey), secret: accepted.secret } : null,
        sign_in_url: accepted.signInUrl,
      };
    },
  );
}

/** `GET /v1/me`: who the caller is and what it may do (role, scopes, effective permissions). */
export function registerIdentityRoutes(app: FastifyInstance): void {
  app.get(
    '/v1/me',
    requires('authenticated', {
      operationId: 'getCaller',
      summary: 'Who am I: the caller, its role and permissions',
      tag,
      responses: {
        200: {
          description: 'The caller.',
          schema: callerSchema,
          example: {
            object: 'caller',
            organization_id: apiKeyExample.organization_id,
            role: 'viewer',
            scopes: null,
            permissions: ['models:read', 'swarms:read', 'tools:read', 'knowledge:read', 'usage:read'],
            principal: 'api_key',
            api_key: { id: apiKeyExample.id, name: apiKeyExample.name },
            user_id: null,
            team_id: null,
          },
        },
      },
    }),
    async (request) => {
      const caller = callerOf(request);
      return {
        object: 'caller',
        organization_id: caller.organizationId,
        role: caller.role,
        scopes: caller.scopes,
        permissions: effectivePermissions(caller),
        principal: caller.principal,
        api_key: { id: caller.apiKeyId, name: caller.keyName },
        user_id: caller.userId,
        team_id: caller.teamId,
      };
    },
  );
}
