import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type SsoConnectionSummary, ssoConnectionInputSchema } from '../../identity/sso/index.ts';
import type { SsoConnectionServices } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';

const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });

/** A connection as the API shows it: its settings and the client secret's last four characters only. */
export function serializeSsoConnection(connection: SsoConnectionSummary) {
  return {
    object: 'organization.sso_connection',
    organization_id: connection.organizationId,
    issuer: connection.issuer,
    client_id: connection.clientId,
    client_secret_last_four: connection.clientSecretSuffix,
    redirect_uri: connection.redirectUri,
    scopes: connection.scopes,
    token_endpoint_auth_method: connection.tokenEndpointAuthMethod,
    groups_claim: connection.groupsClaim,
    email_claim: connection.emailClaim,
    role_mapping: connection.roleMapping,
    default_role: connection.defaultRole,
    require_sso: connection.requireSso,
    bearer_audiences: connection.bearerAudiences,
    created_at: connection.createdAt.toISOString(),
    updated_at: connection.updatedAt.toISOString(),
  };
}

/** `GET|PUT|DELETE /v1/admin/organizations/{id}/sso`: the organisation's single sign-on connection. */
export function registerAdminSsoRoutes(app: FastifyInstance, connections: SsoConnectionServices): void {
  const url = '/v1/admin/organizations/:organizationId/sso';

  app.get(url, requires('admin:sso'), async (request) => {
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    return serializeSsoConnection(await connections.get(callerOf(request), organizationId));
  });

  app.put(url, requires('admin:sso'), async (request, reply) => {
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    const body = parseWith(ssoConnectionInputSchema, request.body);
    const saved = await connections.put(callerOf(request), organizationId, body);
    reply.code(saved.created ? 201 : 200);
    return serializeSsoConnection(saved.connection);
  });

  app.delete(url, requires('admin:sso'), async (request) => {
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    await connections.delete(callerOf(request), organizationId);
    return { object: 'organization.sso_connection.deleted', organization_id: organizationId, deleted: true };
  });
}
