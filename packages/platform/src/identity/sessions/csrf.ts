import { createHmac, timingSafeEqual } from 'node:crypto';
import { type RandomBytes, randomUrlSafeText, systemRandomBytes } from '../sso/index.ts';
import { sessionErrors } from './session-errors.ts';
import type { SessionSigningKey } from './session-keys.ts';

/** The request header a cookie-authenticated mutation repeats the CSRF cookie's value in. */
export const csrfHeaderName = 'x-csrf-token';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

function mac(key: SessionSigningKey, sessionId: string, nonce: string): string {
  return createHmac('sha256', key.secret).update(`${sessionId}.${nonce}`).digest('base64url');
}

function sameText(left: string, right: string): boolean {
  const a = Buffer.from(left);
  const b = Buffer.from(right);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A CSRF token bound to the session (OWASP's signed double-submit cookie): a random nonce and an
 * HMAC of session id and nonce under the derived CSRF key. It lives in a cookie page scripts can
 * read; a cross-site page can neither read it nor forge one for the victim's session.
 */
export function issueCsrfToken(
  sessionId: string,
  key: SessionSigningKey,
  random: RandomBytes = systemRandomBytes,
): string {
  const nonce = randomUrlSafeText(random, 16);
  return `${nonce}.${mac(key, sessionId, nonce)}`;
}

export interface CsrfCheck {
  method: string;
  /** The session the request's access-token cookie authenticated. */
  sessionId: string;
  /** The CSRF cookie's value, if the request carried it. */
  cookieToken: string | undefined;
  /** The `x-csrf-token` header's value, if any. */
  headerToken: string | undefined;
}

/**
 * Refuses a cookie-authenticated mutation (any method but GET, HEAD and OPTIONS) unless the header
 * repeats the cookie and the token was issued for this session under one of the keys. Constant-time
 * comparisons; no I/O. Requests authenticated by a bearer token need no such check.
 */
export function verifyCsrf(check: CsrfCheck, keys: readonly SessionSigningKey[]): void {
  if (safeMethods.has(check.method.toUpperCase())) return;
  const { cookieToken, headerToken } = check;
  if (!cookieToken || !headerToken) throw sessionErrors.csrfTokenMissing();
  if (!sameText(cookieToken, headerToken)) throw sessionErrors.csrfTokenInvalid();
  const [nonce = '', signature = '', extra] = headerToken.split('.');
  if (!nonce || !signature || extra !== undefined) throw sessionErrors.csrfTokenInvalid();
  let valid = false;
  for (const key of keys) valid = sameText(signature, mac(key, check.sessionId, nonce)) || valid;
  if (!valid) throw sessionErrors.csrfTokenInvalid();
}
