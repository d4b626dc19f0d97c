import type { FastifyRequest } from 'fastify';
import { errors, PlatformError } from '../errors/index.ts';
import type { AuthContext, AuthenticationGuard, KeyAuthenticator } from '../tenancy/index.ts';

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | null;
  }
}

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

/**
 * Authenticates the request and stores the caller on it, with the request's origin (client address
 * and request id) for the audit log; throws a 401/403 PlatformError.
 */
export async function authenticate(
  request: FastifyRequest,
  keys: { authenticator: KeyAuthenticator; authenticationGuard: AuthenticationGuard },
): Promise<AuthContext> {
  const secret = readSecret(request);
  if (!secret) throw errors.apiKeyMissing();
  keys.authenticationGuard.check(request.ip);
  let key: AuthContext;
  try {
    key = await keys.authenticator.authenticate(secret);
  } catch (error) {
    if (error instanceof PlatformError && error.code === 'API_KEY_INVALID') {
      throw (await keys.authenticationGuard.recordFailure(request.ip, secret)) ?? error;
    }
    throw error;
  }
  const context: AuthContext = { ...key, origin: { clientAddress: request.ip, requestId: request.id } };
  request.auth = context;
  return context;
}

/** The caller of an authenticated route. */
export function callerOf(request: FastifyRequest): AuthContext {
  if (!request.auth) throw errors.apiKeyMissing();
  return request.auth;
}
