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
import { signInCallbackSchema } from '../../identity/sso/index.ts';
import type { Platform } from '../../platform/index.ts';
import { organizationRoles, type RequestOrigin } from '../../tenancy/index.ts';
import { timestampSchema } from '../openapi/index.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';
import { cookieSettingsOf, cookiesOf, setCookies } from './cookie-settings.ts';

const startParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });
const startQuerySchema = z.strictObject({
  return_to: z
    .string()
    .max(2048)
    .optional()
    .describe('A local path (`/…`) to land on after signing in; default `/`.'),
});

const sessionSchema = z
  .object({
    object: z.literal('session'),
    organization_id: z.string(),
    user_id: z.string(),
    role: z.enum(organizationRoles),
    access_token_expires_at: timestampSchema.describe(
      'When the access-token cookie expires (refresh before).',
    ),
    refresh_token_expires_at: timestampSchema.describe('When the session ends unless refreshed.'),
  })
  .meta({
    id: 'Session',
    description: 'A browser session: its tokens are in the cookies, never in the body.',
  });
const sessionExample = {
  object: 'session',
  organization_id: 'org_3kTtV5xQ1mZ8rB2w',
  user_id: 'usr_7hNq2Kd9Wm4xP1sT',
  role: 'developer',
  access_token_expires_at: '2026-12-07T16:15:00.000Z',
  refresh_token_expires_at: '2026-12-14T16:00:00.000Z',
} satisfies z.output<typeof sessionSchema>;
const signedOutSchema = z
  .object({ object: z.literal('session.signed_out'), signed_out: z.literal(true) })
  .meta({ id: 'SignedOut' });

/**
 * Cookie names: with `__Host-`/`__Secure-` prefixes (and `Secure`), except when
 * `identity.public_url` is plain http on localhost, where the names lack the prefix.
 */
const sessionCookiesSet =
  'Three cookies (one header each), all Secure: `__Host-kimi-session` (the access token, HttpOnly, Path=/), `__Secure-kimi-refresh` (the refresh token, HttpOnly, Path=`sessions.refresh_cookie_path`, default /v1/auth) and `__Host-kimi-csrf` (readable by scripts: repeat it in `x-csrf-token` on unsafe requests). SameSite from `sessions.same_site`. Over plain http on localhost the names lack the prefixes and the cookies are not Secure.';
const sessionCookiesCleared =
  'The three session cookies (`__Host-kimi-session`, `__Secure-kimi-refresh`, `__Host-kimi-csrf`) emptied with Max-Age=0.';
const noStore = '`no-store`.';
const tag = 'Sign-in';

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

function sessionBody(session: IssuedSession): z.output<typeof sessionSchema> {
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

  app.get(
    '/v1/auth/sso/:organizationId/start',
    requires('public', {
      operationId: 'startSignIn',
      summary: "Start signing in with the organisation's identity provider (a browser navigation)",
      description:
        "Redirects the browser (302) to the provider's authorization endpoint and sets the sign-in binding cookie that ties the sign-in to this browser. `return_to` must be a local path, so the platform is no open redirect (400 `SSO_RETURN_PATH_INVALID`). An organisation without a connection is a 404 `SSO_NOT_CONFIGURED`; a provider whose discovery fails a 502.",
      tag,
      params: startParamsSchema,
      query: startQuerySchema,
      responses: {
        302: {
          description: "To the identity provider's authorization endpoint.",
          headers: {
            Location: "The provider's authorization URL (with state, nonce and PKCE challenge).",
            'Set-Cookie':
              '`__Host-kimi-sign-in` (`kimi-sign-in` over plain http on localhost): the sign-in binding, HttpOnly, SameSite=Lax, Path=/, until the sign-in expires.',
            'Cache-Control': noStore,
          },
        },
      },
      errors: [404, 502],
    }),
    async (request, reply) => {
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
    },
  );

  app.get(
    '/v1/auth/sso/callback',
    requires('public', {
      operationId: 'completeSignIn',
      summary: "The identity provider's redirect back: signs the person in (a browser navigation)",
      description:
        "Checks the state (single use), the binding cookie and the provider's tokens, maps the person's claims to a role, starts a browser session and redirects (302) to the `return_to` of the start (default `/`). The binding cookie is cleared either way, on an error too. Refusals: 400 (`SSO_STATE_INVALID`, `SSO_BROWSER_MISMATCH`, `SSO_CALLBACK_INVALID`, …), 401 `SSO_PROVIDER_DENIED`, 403 (`SSO_ROLE_NOT_MAPPED`, `SSO_SIGN_IN_REFUSED`), 429 after repeated failures from one client, 502 when the provider fails.",
      tag,
      query: signInCallbackSchema,
      responses: {
        302: {
          description: 'Signed in: to the `return_to` path.',
          headers: {
            Location: 'The local path given as `return_to` at the start, or `/`.',
            'Set-Cookie': `The sign-in binding cookie cleared (Max-Age=0), and the session: ${sessionCookiesSet}`,
            'Cache-Control': noStore,
          },
        },
      },
      errors: [401, 403, 404, 429, 502],
    }),
    async (request, reply) => {
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
    },
  );

  app.post(
    '/v1/auth/refresh',
    requires('public', {
      operationId: 'refreshSession',
      summary: 'Refresh the browser session (rotates its cookies)',
      description:
        'The refresh-token cookie is the credential (it works after the access token expired). Each refresh token works once: a new set of cookies replaces it. 401 `SESSION_REFRESH_TOKEN_MISSING` without the cookie; 401 with an invalid, reused, revoked or expired refresh token and 403 `SESSION_MEMBERSHIP_ENDED` when the person is no longer a member, these also clearing the session cookies. 409 `SESSION_REFRESH_TOKEN_SUPERSEDED` when another tab refreshed just before: retry with the new cookies.',
      tag,
      responses: {
        200: {
          description: 'The refreshed session; its new tokens are in the cookies.',
          schema: sessionSchema,
          example: sessionExample,
          headers: { 'Set-Cookie': sessionCookiesSet, 'Cache-Control': noStore },
        },
      },
      // why 413/415: no body is read, but one sent is parsed (and refused) before the handler runs.
      errors: [401, 403, 409, 413, 415],
    }),
    async (request, reply) => {
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
    },
  );

  app.post(
    '/v1/auth/sign-out',
    requires('public', {
      operationId: 'signOut',
      summary: 'Sign out: end the browser session',
      description:
        'Ends the session the refresh-token cookie (or else the access-token cookie) names, and clears the cookies. Answers 200 whether or not a session was found.',
      tag,
      responses: {
        200: {
          description: 'Signed out.',
          schema: signedOutSchema,
          example: { object: 'session.signed_out', signed_out: true },
          headers: { 'Set-Cookie': sessionCookiesCleared, 'Cache-Control': noStore },
        },
      },
      // why 413/415: no body is read, but one sent is parsed (and refused) before the handler runs.
      errors: [413, 415],
    }),
    async (request, reply) => {
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
    },
  );
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
