import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { effectivePermissions } from '../../identity/index.ts';
import type { Platform } from '../../platform/index.ts';
import { serializeApiKey, serializeUser } from '../admin/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';

const acceptSchema = z.strictObject({
  token: z.string().min(1).max(256),
  name: z.string().trim().min(1).max(200).optional(),
});

/**
 * `POST /v1/invitations/accept`: the invitation's token is the only credential; it makes the
 * person a member and returns their personal key (its secret shown once). No key is needed. Where
 * the organisation requires single sign-on, `api_key` is null and `sign_in_url` starts the sign-in.
 */
export function registerIdentityPublicRoutes(app: FastifyInstance, platform: Platform): void {
  app.post('/v1/invitations/accept', requires('public'), async (request, reply) => {
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
  });
}

/** `GET /v1/me`: who the caller is and what it may do (role, scopes, effective permissions). */
export function registerIdentityRoutes(app: FastifyInstance): void {
  app.get('/v1/me', requires('authenticated'), async (request) => {
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
  });
}
