import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type SsoConnectionSummary, ssoConnectionInputSchema } from '../../identity/sso/index.ts';
import type { SsoConnectionServices } from '../../platform/index.ts';
import { organizationRoles } from '../../tenancy/index.ts';
import { callerOf } from '../authentication.ts';
import { timestampSchema } from '../openapi/index.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';

const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });

const ssoConnectionSchema = z
  .object({
    object: z.literal('organization.sso_connection'),
    organization_id: z.string(),
    issuer: z.string().describe("The OpenID provider's issuer identifier."),
    client_id: z.string(),
    client_secret_last_four: z
      .string()
      .describe("The client secret's last four characters (never the secret)."),
    redirect_uri: z.string().describe("The platform's callback URL registered at the provider."),
    scopes: z.array(z.string()),
    token_endpoint_auth_method: z.enum(['client_secret_basic', 'client_secret_post']),
    groups_claim: z.string().describe("The claim that lists the person's groups or roles."),
    email_claim: z.string().describe("The claim read as the person's email."),
    role_mapping: z
      .record(z.string(), z.enum(organizationRoles))
      .describe('Claim value (a group id or name, an app role) → role; the most privileged match wins.'),
    default_role: z
      .enum(organizationRoles)
      .nullable()
      .describe('The role of a person none of whose claim values is mapped; null refuses them.'),
    require_sso: z.boolean().describe('Whether members must sign in through this connection.'),
    bearer_audiences: z
      .array(z.string())
      .describe(
        'Audiences accepted on bearer JWTs from this issuer (workload identities); empty accepts none.',
      ),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({ id: 'SsoConnection', description: "An organisation's OpenID Connect single sign-on connection." });
const ssoConnectionExample = {
  object: 'organization.sso_connection',
  organization_id: 'org_3kTtV5xQ1mZ8rB2w',
  issuer: 'https://login.example.com',
  client_id: 'kimi-platform',
  client_secret_last_four: 'f9Kq',
  redirect_uri: 'https://kimi.example.com/v1/auth/sso/callback',
  scopes: ['openid', 'profile', 'email'],
  token_endpoint_auth_method: 'client_secret_basic',
  groups_claim: 'groups',
  email_claim: 'email',
  role_mapping: { 'kimi-admins': 'admin', 'kimi-developers': 'developer' },
  default_role: 'viewer',
  require_sso: false,
  bearer_audiences: [],
  created_at: '2026-12-07T16:00:00.000Z',
  updated_at: '2026-12-07T16:00:00.000Z',
} satisfies z.output<typeof ssoConnectionSchema>;
const ssoConnectionDeletedSchema = z
  .object({
    object: z.literal('organization.sso_connection.deleted'),
    organization_id: z.string(),
    deleted: z.literal(true),
  })
  .meta({ id: 'SsoConnectionDeleted' });
const tag = 'Admin: single sign-on';

/** A connection as the API shows it: its settings and the client secret's last four characters only. */
export function serializeSsoConnection(
  connection: SsoConnectionSummary,
): z.output<typeof ssoConnectionSchema> {
  return {
    object: 'organization.sso_connection',
    organization_id: connection.organizationId,
    issuer: connection.issuer,
    client_id: connection.clientId,
    client_secret_last_four: connection.clientSecretSuffix,
    redirect_uri: connection.redirectUri,
    scopes: [...connection.scopes],
    token_endpoint_auth_method: connection.tokenEndpointAuthMethod,
    groups_claim: connection.groupsClaim,
    email_claim: connection.emailClaim,
    role_mapping: connection.roleMapping,
    default_role: connection.defaultRole,
    require_sso: connection.requireSso,
    bearer_audiences: [...connection.bearerAudiences],
    created_at: connection.createdAt.toISOString(),
    updated_at: connection.updatedAt.toISOString(),
  };
}

/** `GET|PUT|DELETE /v1/admin/organizations/{id}/sso`: the organisation's single sign-on connection. */
export function registerAdminSsoRoutes(app: FastifyInstance, connections: SsoConnectionServices): void {
  const url = '/v1/admin/organizations/:organizationId/sso';

  app.get(
    url,
    requires('admin:sso', {
      operationId: 'getSsoConnection',
      summary: "Get the organisation's single sign-on connection",
      tag,
      params: organizationParamsSchema,
      responses: {
        200: {
          description: 'The connection (never its secret).',
          schema: ssoConnectionSchema,
          example: ssoConnectionExample,
        },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      return serializeSsoConnection(await connections.get(callerOf(request), organizationId));
    },
  );

  app.put(
    url,
    requires('admin:sso', {
      operationId: 'putSsoConnection',
      summary: "Set the organisation's single sign-on connection",
      description:
        "Replaces the whole connection (absent fields take their defaults). `client_secret` is needed when the connection is created, and kept when omitted later. The issuer must be a public https URL (400 `SSO_ISSUER_NOT_ALLOWED`). Changing `require_sso` takes effect on the members' keys at once.",
      tag,
      params: organizationParamsSchema,
      body: ssoConnectionInputSchema,
      bodyExample: {
        issuer: 'https://login.example.com',
        client_id: 'kimi-platform',
        client_secret: 'a-long-client-secret-f9Kq',
        redirect_uri: 'https://kimi.example.com/v1/auth/sso/callback',
        role_mapping: { 'kimi-admins': 'admin', 'kimi-developers': 'developer' },
        default_role: 'viewer',
      },
      responses: {
        200: {
          description: 'The connection as changed.',
          schema: ssoConnectionSchema,
          example: ssoConnectionExample,
        },
        201: {
          description: 'The new connection.',
          schema: ssoConnectionSchema,
          example: ssoConnectionExample,
        },
      },
      errors: [404],
    }),
    async (request, reply) => {
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      const body = parseWith(ssoConnectionInputSchema, request.body);
      const saved = await connections.put(callerOf(request), organizationId, body);
      reply.code(saved.created ? 201 : 200);
      return serializeSsoConnection(saved.connection);
    },
  );

  app.delete(
    url,
    requires('admin:sso', {
      operationId: 'deleteSsoConnection',
      summary: "Remove the organisation's single sign-on connection",
      tag,
      params: organizationParamsSchema,
      responses: {
        200: {
          description: 'The connection is removed.',
          schema: ssoConnectionDeletedSchema,
          example: {
            object: 'organization.sso_connection.deleted',
            organization_id: ssoConnectionExample.organization_id,
            deleted: true,
          },
        },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      await connections.delete(callerOf(request), organizationId);
      return {
        object: 'organization.sso_connection.deleted',
        organization_id: organizationId,
        deleted: true,
      };
    },
  );
}
