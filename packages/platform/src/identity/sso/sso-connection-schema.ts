import { z } from 'zod';
import { isLoopbackHost } from './issuer-url-policy.ts';
import { type MembershipRole, membershipRoles } from './membership-roles.ts';

const scopeToken = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** An absolute https URL, or http on a loopback host; the full runtime rule is `issuerUrlProblem`. */
const secureUrl = z
  .string()
  .max(2048)
  .refine((text) => {
    if (!URL.canParse(text)) return false;
    const url = new URL(text);
    if (url.username || url.password || url.hash) return false;
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  }, 'must be an https:// URL without credentials or fragment (http only on loopback)');

const claimName = z.string().min(1).max(256);
const role = z.enum(membershipRoles);

/**
 * One organisation's OpenID Connect connection, as an administrator sends it (snake_case, like the
 * rest of the API). `client_secret` is write-only: stored sealed, never returned; omitted on an
 * update, the stored one is kept.
 */
export const ssoConnectionInputSchema = z
  .object({
    /** The provider's issuer identifier, exactly as its discovery document states it. */
    issuer: secureUrl,
    client_id: z.string().min(1).max(256),
    client_secret: z.string().min(1).max(1024).optional(),
    /** The platform's callback URL registered at the provider. */
    redirect_uri: secureUrl,
    scopes: z
      .array(z.string().regex(scopeToken, 'must be a scope token (no spaces or quotes)'))
      .min(1)
      .max(20)
      .refine((scopes) => scopes.includes('openid'), "must include 'openid'")
      .default(['openid', 'profile', 'email']),
    token_endpoint_auth_method: z
      .enum(['client_secret_basic', 'client_secret_post'])
      .default('client_secret_basic'),
    /** The claim that lists the person's groups or roles (Entra: `groups` or `roles`). */
    groups_claim: claimName.default('groups'),
    /** The claim read as the person's email (Entra without the optional claim: `preferred_username`). */
    email_claim: claimName.default('email'),
    /** Claim value (a group id or name, an app role) → our role; the most privileged match wins. */
    role_mapping: z
      .record(z.string().min(1).max(256), role)
      .refine((mapping) => Object.keys(mapping).length <= 500, 'must have at most 500 entries')
      .default({}),
    /** The role of a person none of whose claim values is mapped; null refuses them. Never `owner`. */
    default_role: role.exclude(['owner']).nullable().default(null),
    /** Members must sign in through this connection (phase 2 refuses their other ways in). */
    require_sso: z.boolean().default(false),
    /** Audiences accepted on bearer JWTs from this issuer (workload identities); empty accepts none. */
    bearer_audiences: z.array(z.string().min(1).max(512)).max(20).default([]),
  })
  .strict();

export type SsoConnectionInput = z.input<typeof ssoConnectionInputSchema>;

export type TokenEndpointAuthMethod = 'client_secret_basic' | 'client_secret_post';

/** A connection's settings without its secret: what may be shown, logged or compared. */
export interface SsoConnectionSettings {
  issuer: string;
  clientId: string;
  redirectUri: string;
  scopes: readonly string[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  groupsClaim: string;
  emailClaim: string;
  roleMapping: Readonly<Record<string, MembershipRole>>;
  defaultRole: MembershipRole | null;
  requireSso: boolean;
  bearerAudiences: readonly string[];
}

/** A stored connection with its secret opened, as the protocol code needs it. */
export interface SsoConnection extends SsoConnectionSettings {
  organizationId: string;
  clientSecret: string;
  updatedAt: Date;
}

/** Parsed settings and the secret, if one was sent. */
export interface ParsedSsoConnection {
  settings: SsoConnectionSettings;
  clientSecret: string | null;
}

/** Parses an administrator's input; throws the ZodError that names the field. */
export function parseSsoConnectionInput(input: unknown): ParsedSsoConnection {
  const parsed = ssoConnectionInputSchema.parse(input);
  return {
    settings: {
      issuer: parsed.issuer,
      clientId: parsed.client_id,
      redirectUri: parsed.redirect_uri,
      scopes: [...new Set(parsed.scopes)],
      tokenEndpointAuthMethod: parsed.token_endpoint_auth_method,
      groupsClaim: parsed.groups_claim,
      emailClaim: parsed.email_claim,
      roleMapping: parsed.role_mapping,
      defaultRole: parsed.default_role,
      requireSso: parsed.require_sso,
      bearerAudiences: [...new Set(parsed.bearer_audiences)],
    },
    clientSecret: parsed.client_secret ?? null,
  };
}
