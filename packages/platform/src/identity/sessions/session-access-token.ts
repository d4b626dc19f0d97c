import { decodeProtectedHeader, errors, jwtVerify, SignJWT } from 'jose';
import { isMembershipRole, type MembershipRole } from '../sso/index.ts';
import { sessionErrors } from './session-errors.ts';
import type { SessionSigningKey } from './session-keys.ts';

const issuer = 'kimi-platform';
const audience = 'kimi-platform/browser-session';
// why: an explicit type keeps a session token from being taken for any other JWT, and vice versa.
const tokenType = 'kimi-session+jwt';

/** Who a session access token says the browser is. */
export interface SessionPrincipal {
  sessionId: string;
  userId: string;
  organizationId: string;
  role: MembershipRole;
  /** Epoch ms. */
  expiresAt: number;
}

/** Signs a short-lived access token (HS256 under the current derived key). */
export async function signSessionAccessToken(
  principal: SessionPrincipal,
  key: SessionSigningKey,
  issuedAt: number,
): Promise<string> {
  return new SignJWT({ org: principal.organizationId, role: principal.role, sid: principal.sessionId })
    .setProtectedHeader({ alg: 'HS256', typ: tokenType, kid: key.id })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject(principal.userId)
    .setIssuedAt(Math.floor(issuedAt / 1000))
    .setExpirationTime(Math.floor(principal.expiresAt / 1000))
    .sign(key.secret);
}

/**
 * Checks a session access token's signature (by the key its `kid` names), type, issuer, audience
 * and expiry (no skew: the platform checks its own clock). Throws SESSION_ACCESS_TOKEN_EXPIRED or
 * SESSION_ACCESS_TOKEN_INVALID.
 */
export async function verifySessionAccessToken(
  token: string,
  keys: readonly SessionSigningKey[],
  now: number,
): Promise<SessionPrincipal> {
  let keyId: unknown;
  try {
    keyId = decodeProtectedHeader(token).kid;
  } catch {
    throw sessionErrors.accessTokenInvalid();
  }
  const key = keys.find((candidate) => candidate.id === keyId);
  if (!key) throw sessionErrors.accessTokenInvalid();
  try {
    const { payload } = await jwtVerify(token, key.secret, {
      algorithms: ['HS256'],
      typ: tokenType,
      issuer,
      audience,
      currentDate: new Date(now),
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    const { org, role, sid, sub, exp } = payload;
    if (
      typeof org !== 'string' ||
      typeof sid !== 'string' ||
      typeof sub !== 'string' ||
      !isMembershipRole(role)
    ) {
      throw sessionErrors.accessTokenInvalid();
    }
    return { sessionId: sid, userId: sub, organizationId: org, role, expiresAt: Number(exp) * 1000 };
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw sessionErrors.accessTokenExpired();
    if (error instanceof errors.JOSEError) throw sessionErrors.accessTokenInvalid();
    throw error;
  }
}
