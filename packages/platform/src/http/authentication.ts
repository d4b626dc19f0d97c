import type { FastifyRequest } from 'fastify';
import { errors, PlatformError } from '../errors/index.ts';
import { csrfHeaderName } from '../identity/sessions/index.ts';
import type { Platform } from '../platform/index.ts';
import { type AuthContext, apiKeySecretPrefix, type RequestOrigin } from '../tenancy/index.ts';
import { cookieSettingsOf, cookiesOf } from './sign-in/cookie-settings.ts';

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | null;
  }
}

/** The header a workload may name its organisation in (else the token's issuer and audience decide). */
export const organizationHeaderName = 'x-kimi-organization';

/** A compact JWS: three base64url parts, the header a JSON object (`eyJ` is `{"`). */
const compactJwtPattern = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** The secret from `Authorization: Bearer …`, or from `api-key` / `x-api-key` (Azure and Anthropic clients). */
export function readSecret(request: FastifyRequest): string | null {
  const authorization = request.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    return match?.[1]?.trim() || null;
  }
  const header = request.headers['x-api-key'] ?? request.headers['api-key'];
  const value = Array.isArray(header) ? header[0] : header;
  return value?.trim() || null;
}

function singleHeader(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

type Authenticators = Pick<Platform, 'authenticator' | 'authenticationGuard' | 'signIn' | 'config'>;

async function authenticateApiKey(
  request: FastifyRequest,
  platform: Authenticators,
  secret: string,
): Promise<AuthContext> {
  try {
    return await platform.authenticator.authenticate(secret);
  } catch (error) {
    if (error instanceof PlatformError && error.code === 'API_KEY_INVALID') {
      throw (await platform.authenticationGuard.recordFailure(request.ip, secret)) ?? error;
    }
    throw error;
  }
}

/**
 * Who is calling, by the first credential found:
 *
 * 1. A bearer secret or `x-api-key`: an API key (`sk-kimi-…`, checked first and alone, so the key
 *    path costs one prefix test more); otherwise, when it has the shape of a JWT, a workload token
 *    from an organisation's identity provider, its organisation named by `x-kimi-organization` or
 *    found by the token's issuer and audience. No CSRF token: browsers never attach these.
 * 2. Else the session access-token cookie of a signed-in browser; then every request but GET,
 *    HEAD and OPTIONS must repeat the CSRF cookie in `x-csrf-token` (403 `CSRF_TOKEN_MISSING` or
 *    `CSRF_TOKEN_INVALID`).
 *
 * Stores the caller on the request with its origin (client address, request id) for the audit log;
 * throws a 401/403 PlatformError.
 */
export async function authenticate(request: FastifyRequest, platform: Authenticators): Promise<AuthContext> {
  const origin: RequestOrigin = { clientAddress: request.ip, requestId: request.id };
  const secret = readSecret(request);
  let context: AuthContext;
  if (secret) {
    platform.authenticationGuard.check(request.ip);
    if (!secret.startsWith(apiKeySecretPrefix) && compactJwtPattern.test(secret)) {
      const named = singleHeader(request, organizationHeaderName);
      context = await platform.signIn.authenticateWorkload(secret, named?.trim() || undefined, origin);
    } else {
      context = { ...(await authenticateApiKey(request, platform, secret)), origin };
    }
  } else {
    const { names } = cookieSettingsOf(platform.config);
    const cookies = request.headers.cookie ? cookiesOf(request) : null;
    const accessToken = cookies?.get(names.accessToken);
    if (!accessToken) throw errors.apiKeyMissing();
    context = await platform.signIn.authenticateSession({
      accessToken,
      method: request.method,
      csrfCookie: cookies?.get(names.csrfToken),
      csrfHeader: singleHeader(request, csrfHeaderName),
      origin,
    });
  }
  request.auth = context;
  return context;
}

/** The caller of an authenticated route. */
export function callerOf(request: FastifyRequest): AuthContext {
  if (!request.auth) throw errors.apiKeyMissing();
  return request.auth;
}
