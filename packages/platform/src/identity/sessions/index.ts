/**
 * Browser sessions: short-lived signed access tokens, rotating refresh tokens with reuse detection
 * (a session is one refresh-token family), sign-out that revokes, the cookies as plain data, and
 * the CSRF check for cookie-authenticated mutations. No HTTP here: routes set the cookies and call
 * these functions.
 */
export { type CsrfCheck, csrfHeaderName, issueCsrfToken, verifyCsrf } from './csrf.ts';
export { hashRefreshToken, newRefreshToken, organizationOfRefreshToken } from './refresh-tokens.ts';
export {
  type SessionPrincipal,
  signSessionAccessToken,
  verifySessionAccessToken,
} from './session-access-token.ts';
export type { SessionAttribution } from './session-audit.ts';
export {
  type CookiePolicy,
  type CookieToSet,
  clearedSessionCookies,
  clearedSignInBindingCookie,
  cookieNamesFor,
  cookiesAreSecure,
  parseCookieHeader,
  type SessionCookieNames,
  type SessionCookieValues,
  serializeCookie,
  sessionCookieNames,
  sessionCookies,
  signInBindingCookie,
} from './session-cookies.ts';
export { sessionErrors } from './session-errors.ts';
export { deriveSessionKeys, type SessionKeys, type SessionSigningKey } from './session-keys.ts';
export { deleteEndedSessions } from './session-repository.ts';
export {
  createSessionService,
  type IssuedSession,
  type SessionMembershipDirectory,
  type SessionService,
  type SessionServiceOptions,
} from './session-service.ts';
export { type SessionSettings, sessionSettingsSchema } from './session-settings-schema.ts';
