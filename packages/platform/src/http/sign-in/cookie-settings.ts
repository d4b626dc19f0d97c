import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConfigFile } from '../../config/index.ts';
import {
  type CookiePolicy,
  type CookieToSet,
  cookieNamesFor,
  cookiesAreSecure,
  parseCookieHeader,
  type SessionCookieNames,
  serializeCookie,
} from '../../identity/sessions/index.ts';

/** How this platform's session cookies are written and read, from the config in force. */
export interface CookieSettings {
  policy: CookiePolicy & { secure: boolean };
  names: SessionCookieNames;
}

/**
 * Secure (and `__Host-`/`__Secure-` prefixed) unless `identity.public_url` is plain http on
 * localhost; SameSite and the refresh cookie's path from `sessions:`.
 */
export function cookieSettingsOf(config: ConfigFile): CookieSettings {
  const secure = cookiesAreSecure(config.identity.public_url);
  return {
    policy: {
      secure,
      same_site: config.sessions.same_site,
      refresh_cookie_path: config.sessions.refresh_cookie_path,
    },
    names: cookieNamesFor(secure),
  };
}

/** The request's cookies by name (first of a repeated name). */
export function cookiesOf(request: FastifyRequest): Map<string, string> {
  return parseCookieHeader(request.headers.cookie);
}

/** Adds `Set-Cookie` headers to the reply, keeping any it already has. */
export function setCookies(reply: FastifyReply, cookies: readonly CookieToSet[]): void {
  const existing = reply.getHeader('set-cookie');
  const previous = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  reply.header('set-cookie', [...previous, ...cookies.map(serializeCookie)]);
}
