import { decodeJwt, type JWTPayload } from 'jose';
import type { Clock } from '../../support/index.ts';
import { groupsOf, roleForGroups } from './claims-mapping.ts';
import type { IdentityProviders } from './identity-providers.ts';
import type { MembershipRole } from './membership-roles.ts';
import type { SsoConnectionSource } from './sign-in-ports.ts';
import type { SsoConnection } from './sso-connection-schema.ts';
import { ssoErrors } from './sso-errors.ts';
import { bearerTokenError } from './token-errors.ts';
import { TokenRejection } from './token-rejection.ts';
import { acceptedSigningAlgorithms, verifySignedToken } from './verify-signed-token.ts';

/** A service calling with a token from its organisation's identity provider. */
export interface WorkloadPrincipal {
  organizationId: string;
  issuer: string;
  subject: string;
  /** The accepted audience the token was issued for. */
  audience: string;
  /** The client the token was issued to: `azp`, `client_id` (RFC 9068) or `appid` (Entra v1). */
  clientId: string | null;
  role: MembershipRole;
  groups: readonly string[];
  /** `scope` (space-separated) or `scp`. */
  scopes: readonly string[];
  /** Epoch ms. */
  expiresAt: number;
  tokenId: string | null;
}

export interface BearerTokenVerifier {
  /**
   * Verifies a JWT and maps it to a principal, or throws the coded error of the first failed check
   * (`BEARER_TOKEN_*`). Without `organizationId` the organisation is the one whose connection has
   * the token's issuer and audience.
   */
  verify(token: string, options?: { organizationId?: string }): Promise<WorkloadPrincipal>;
}

export interface BearerTokenVerifierOptions {
  providers: IdentityProviders;
  connections: SsoConnectionSource;
  clock: Clock;
  clockSkewSeconds: number;
}

function audiencesOf(payload: JWTPayload): string[] {
  if (typeof payload.aud === 'string') return [payload.aud];
  return Array.isArray(payload.aud) ? payload.aud.filter((value) => typeof value === 'string') : [];
}

function scopesOf(payload: JWTPayload): string[] {
  const value = payload.scope ?? payload.scp;
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function clientIdOf(payload: JWTPayload): string | null {
  for (const claim of ['azp', 'client_id', 'appid']) {
    const value = payload[claim];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return null;
}

function unverifiedClaims(token: string): JWTPayload {
  try {
    return decodeJwt(token);
  } catch {
    throw new TokenRejection('malformed', 'the token does not decode');
  }
}

async function connectionFor(
  connections: SsoConnectionSource,
  claims: JWTPayload,
  organizationId: string | undefined,
): Promise<SsoConnection> {
  if (typeof claims.iss !== 'string') throw new TokenRejection('claim-invalid', 'iss is missing');
  const issuer = claims.iss;
  let candidates: readonly SsoConnection[];
  if (organizationId !== undefined) {
    const connection = await connections.find(organizationId);
    if (!connection || connection.bearerAudiences.length === 0) throw ssoErrors.bearerNotAccepted();
    if (connection.issuer !== issuer)
      throw new TokenRejection('wrong-issuer', 'iss is not the connection issuer');
    candidates = [connection];
  } else {
    candidates = (await connections.findByIssuer(issuer)).filter(
      (connection) => connection.bearerAudiences.length > 0,
    );
    if (candidates.length === 0)
      throw new TokenRejection('wrong-issuer', 'no organisation accepts this issuer');
  }
  const audiences = audiencesOf(claims);
  const matching = candidates.filter((connection) =>
    connection.bearerAudiences.some((audience) => audiences.includes(audience)),
  );
  if (matching.length === 0) throw new TokenRejection('wrong-audience', 'aud is not an accepted audience');
  if (matching.length > 1) throw ssoErrors.bearerAmbiguous();
  return matching[0] as SsoConnection;
}

export function createBearerTokenVerifier(options: BearerTokenVerifierOptions): BearerTokenVerifier {
  const { providers, connections, clock, clockSkewSeconds } = options;

  async function verifyToken(token: string, organizationId: string | undefined): Promise<WorkloadPrincipal> {
    const connection = await connectionFor(connections, unverifiedClaims(token), organizationId);
    const metadata = await providers.metadata.get(connection.issuer);
    const { payload } = await verifySignedToken(token, providers.keys, {
      jwksUri: metadata.jwksUri,
      issuer: connection.issuer,
      audiences: connection.bearerAudiences,
      algorithms: acceptedSigningAlgorithms,
      now: clock.now(),
      clockSkewSeconds,
      requiredClaims: ['iss', 'sub', 'aud', 'exp'],
    });
    const groups = groupsOf(payload, connection.groupsClaim);
    const role = roleForGroups(groups, connection.roleMapping, connection.defaultRole);
    if (role === null) throw ssoErrors.bearerRoleNotMapped();
    const audiences = audiencesOf(payload);
    return {
      organizationId: connection.organizationId,
      issuer: connection.issuer,
      subject: String(payload.sub),
      audience: connection.bearerAudiences.find((audience) => audiences.includes(audience)) ?? '',
      clientId: clientIdOf(payload),
      role,
      groups,
      scopes: scopesOf(payload),
      expiresAt: Number(payload.exp) * 1000,
      tokenId: typeof payload.jti === 'string' ? payload.jti : null,
    };
  }

  return {
    async verify(token, verifyOptions) {
      try {
        return await verifyToken(token, verifyOptions?.organizationId);
      } catch (error) {
        if (error instanceof TokenRejection) throw bearerTokenError(error);
        throw error;
      }
    },
  };
}
