import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isPlatformError } from '../../errors/index.ts';
import {
  clearedSessionCookies,
  clearedSignInBindingCookie,
  type IssuedSession,
  sessionCookies,
  signInBindingCookie,
} from '../../identity/sessions/index.ts';
import type { Platform } from '../../platform/index.ts';
import type { RequestOrigin } from '../../tenancy/index.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';
import { cookieSettingsOf, cookiesOf, setCookies } from './cookie-settings.ts';

const startParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });
const startQuerySchema = z.strictObject({ return_to: z.string().max(2048).optional() });

/** Refusals after which the browser's session cookies are useless: they are cleared with the error. */
const endedSessionCodes = new Set([
  'SESSION_REFRESH_TOKEN_INVALID',
  'SESSION_REFRESH_TOKEN_REUSED',
  'SESSION_REVOKED',
  'SESSION_EXPIRED',
  'SESSION_MEMBERSHIP_ENDED',
]);

function originOf(request: FastifyRequest): RequestOrigin {
  return { clientAddress: request.ip, requestId: request.id };
}

function sessionBody(session: IssuedSession) {
  return {
    object: 'session',
    organization_id: session.organizationId,
    user_id: session.userId,
    role: session.role,
    access_token_expires_at: new Date(session.accessTokenExpiresAt).toISOString(),
    refresh_token_expires_at: new Date(session.refreshTokenExpiresAt).toISOString(),
  };
}

/**
 * Sign-in with the organisation's identity provider and the browser session after it:
 *
 * - `GET /v1/auth/sso/{organizationId}/start?return_to=` → 302 to the provider, with the sign-in
 *   binding cookie; `return_to` must be a local path (`/…`), so the platform is no open redirect.
 * - `GET /v1/auth/sso/callback?code&state` → the provider's redirect back: the session cookies and
 *   the CSRF cookie, then 302 to `return_to` (default `/`).
 * - `POST /v1/auth/refresh` → rotates the session's cookies; `POST /v1/auth/sign-out` ends it.
 *
 * All four are `public`: no API key can call them meaningfully, because each authenticates itself —
 * the start and the callback are how a person gets a credential at all (the callback is bound to
 * the browser by the binding cookie and to the sign-in by its single-use state), and refresh and
 * sign-out take the refresh-token cookie as their credential (it works when the access token has
 * expired, which is when a refresh is needed).
 */
export function registerSignInRoutes(app: FastifyInstance, platform: Platform): void {
  const { signIn, clock } = platform;

  app.get('/v1/auth/sso/:organizationId/start', requires('public'), async (request, reply) => {
    const { organizationId } = parseWith(startParamsSchema, request.params);
    const query = parseWith(startQuerySchema, request.query);
    const started = await signIn.start({
      organizationId,
      returnTo: query.return_to ?? null,
      origin: originOf(request),
    });
    const { policy } = cookieSettingsOf(platform.config);
    setCookies(reply, [
      signInBindingCookie(started.browserBinding, started.expiresAt, clock.now(), policy.secure),
    ]);
    reply.header('cache-control', 'no-store');
    return reply.redirect(started.authorizationUrl, 302);
  });

  app.get('/v1/auth/sso/callback', requires('public'), async (request, reply) => {
    const { policy, names } = cookieSettingsOf(platform.config);
    reply.header('cache-control', 'no-store');
    // why cleared either way: a binding works for one callback, like the state it goes with.
    setCookies(reply, [clearedSignInBindingCookie(policy.secure)]);
    const completed = await signIn.complete({
      query: request.query,
      browserBinding: cookiesOf(request).get(names.signIn) ?? null,
      origin: originOf(request),
    });
    setCookies(reply, sessionCookies(completed.session, policy, clock.now()));
    return reply.redirect(completed.returnTo, 302);
  });

  app.post('/v1/auth/refresh', requires('public'), async (request, reply) => {
    const { policy, names } = cookieSettingsOf(platform.config);
    reply.header('cache-control', 'no-store');
    try {
      const session = await signIn.refresh(
        cookiesOf(request).get(names.refreshToken) ?? null,
        originOf(request),
      );
      setCookies(reply, sessionCookies(session, policy, clock.now()));
      return sessionBody(session);
    } catch (error) {
      clearWhenEnded(reply, error, policy);
      throw error;
    }
  });

  app.post('/v1/auth/sign-out', requires('public'), async (request, reply) => {
    const { policy, names } = cookieSettingsOf(platform.config);
    const cookies = cookiesOf(request);
    await signIn.signOut({
      refreshToken: cookies.get(names.refreshToken) ?? null,
      accessToken: cookies.get(names.accessToken) ?? null,
      origin: originOf(request),
    });
    setCookies(reply, clearedSessionCookies(policy));
    reply.header('cache-control', 'no-store');
    return { object: 'session.signed_out', signed_out: true };
  });
}

function clearWhenEnded(
  reply: FastifyReply,
  error: unknown,
  policy: ReturnType<typeof cookieSettingsOf>['policy'],
): void {
  if (isPlatformError(error) && endedSessionCodes.has(error.code)) {
    setCookies(reply, clearedSessionCookies(policy));
  }
}
