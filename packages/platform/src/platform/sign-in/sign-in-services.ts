import type { AuditLog } from '../../identity/audit/index.ts';
import {
  type IssuedSession,
  type SessionKeys,
  type SessionService,
  verifyCsrf,
} from '../../identity/sessions/index.ts';
import {
  type BearerTokenVerifier,
  type OidcRelyingParty,
  type StartedSignIn,
  signInCallbackSchema,
  ssoErrors,
} from '../../identity/sso/index.ts';
import type { Database } from '../../storage/db/index.ts';
import type { AuthContext, AuthenticationGuard, RequestOrigin } from '../../tenancy/index.ts';
import { sessionCaller, workloadCaller } from './caller-contexts.ts';
import type { OrganizationAccessCache } from './organization-access-cache.ts';
import { recordSignInFailed, recordSignInSucceeded } from './sign-in-audit.ts';
import { signInErrors } from './sign-in-errors.ts';

/** A completed sign-in: the new session's tokens and where the browser goes next. */
export interface CompletedSignIn {
  session: IssuedSession;
  /** A local path (checked when the sign-in started); `/` by default. */
  returnTo: string;
}

/** A cookie-authenticated request, as the authentication hook sees it. */
export interface SessionRequest {
  accessToken: string;
  method: string;
  /** The CSRF cookie's value and the `x-csrf-token` header's, when present. */
  csrfCookie: string | undefined;
  csrfHeader: string | undefined;
  origin: RequestOrigin;
}

/**
 * Single sign-on and browser sessions, for every surface: starting and completing a sign-in
 * (auditing both outcomes), refreshing and ending sessions, and turning a session access token or
 * a workload JWT into the caller every route works with. Without a master key each answers 503.
 */
export interface SignInServices {
  start(request: {
    organizationId: string;
    returnTo: string | null;
    origin: RequestOrigin;
  }): Promise<StartedSignIn>;
  /** The provider's redirect back: `query` as received (parsed here), the binding cookie's value. */
  complete(request: {
    query: unknown;
    browserBinding: string | null;
    origin: RequestOrigin;
  }): Promise<CompletedSignIn>;
  refresh(refreshToken: string | null, origin: RequestOrigin): Promise<IssuedSession>;
  /** Ends the session of the refresh token, or else of the access token; quiet when neither is live. */
  signOut(request: {
    refreshToken: string | null;
    accessToken: string | null;
    origin: RequestOrigin;
  }): Promise<void>;
  /** The caller of a session access token; a mutation must repeat the CSRF cookie in the header. */
  authenticateSession(request: SessionRequest): Promise<AuthContext>;
  /**
   * The caller of a JWT from an organisation's identity provider. `organizationId` narrows the
   * lookup (the `x-kimi-organization` header); without it the organisation is the one whose
   * connection has the token's issuer and one of its audiences.
   */
  authenticateWorkload(
    token: string,
    organizationId: string | undefined,
    origin: RequestOrigin,
  ): Promise<AuthContext>;
}

/** The parts sign-in composes; `sessions` and `keys` are null without a master key. */
export interface SignInDependencies {
  database: Database;
  audit: AuditLog;
  relyingParty: OidcRelyingParty;
  sessions: SessionService | null;
  keys: SessionKeys | null;
  bearerTokens: BearerTokenVerifier | null;
  organizations: OrganizationAccessCache;
  /**
   * Counts callbacks whose state names no sign-in per client address (they are audited in the
   * platform chain), so a flood of made-up callbacks is refused with 429 before it is written.
   */
  guard: Pick<AuthenticationGuard, 'check' | 'recordFailure'>;
  onAuditError: (error: unknown) => void;
}

export function createSignInServices(dependencies: SignInDependencies): SignInServices {
  const { database, audit, relyingParty, organizations } = dependencies;

  function sessionsOrUnavailable(): { sessions: SessionService; keys: SessionKeys } {
    if (!dependencies.sessions || !dependencies.keys) throw signInErrors.unavailable();
    return { sessions: dependencies.sessions, keys: dependencies.keys };
  }

  async function auditFailure(error: unknown, origin: RequestOrigin): Promise<void> {
    try {
      await recordSignInFailed(audit, database, {
        organizationId: relyingParty.organizationOfFailure(error),
        error,
        origin,
      });
    } catch (auditError) {
      // why: the refusal is what the browser must see; a failed audit write is logged instead.
      dependencies.onAuditError(auditError);
    }
  }

  return {
    async start(request) {
      sessionsOrUnavailable();
      return relyingParty.startSignIn({ organizationId: request.organizationId, returnTo: request.returnTo });
    },

    async complete(request) {
      const { sessions } = sessionsOrUnavailable();
      dependencies.guard.check(request.origin.clientAddress);
      try {
        const parsed = signInCallbackSchema.safeParse(request.query);
        if (!parsed.success) throw ssoErrors.callbackInvalid('a parameter is too long or repeated');
        // platform scope: the state names the organisation; it is read before any is known.
        const signedIn = await relyingParty.completeSignIn(
          parsed.data,
          request.browserBinding,
          request.origin,
        );
        const session = await sessions.start(signedIn, request.origin, (transaction, sessionId) =>
          recordSignInSucceeded(audit, transaction, signedIn, sessionId, request.origin),
        );
        return { session, returnTo: signedIn.returnTo ?? '/' };
      } catch (error) {
        await auditFailure(error, request.origin);
        if (relyingParty.organizationOfFailure(error) === null) {
          await dependencies.guard.recordFailure(request.origin.clientAddress, 'sso-callback-state');
        }
        throw error;
      }
    },

    async refresh(refreshToken, origin) {
      const { sessions } = sessionsOrUnavailable();
      if (!refreshToken) throw signInErrors.refreshTokenMissing();
      // platform scope: the refresh cookie names its organisation only inside the token.
      return sessions.refresh(refreshToken, origin);
    },

    async signOut(request) {
      const { sessions } = sessionsOrUnavailable();
      // platform scope: the cookie is the only credential; its session is found by the token.
      if (request.refreshToken && (await sessions.signOut(request.refreshToken, request.origin))) return;
      if (!request.accessToken) return;
      const principal = await sessions.authenticate(request.accessToken).catch(() => null);
      if (!principal) return;
      await sessions.revoke(principal.organizationId, principal.sessionId, 'signed-out', {
        actor: { type: 'user', id: principal.userId, organizationId: principal.organizationId },
        origin: request.origin,
      });
    },

    async authenticateSession(request) {
      const { sessions, keys } = sessionsOrUnavailable();
      // platform scope: the signed token names the organisation; its revocation is a key-value read.
      const principal = await sessions.authenticate(request.accessToken);
      verifyCsrf(
        {
          method: request.method,
          sessionId: principal.sessionId,
          cookieToken: request.csrfCookie,
          headerToken: request.csrfHeader,
        },
        keys.csrfKeys,
      );
      return sessionCaller(principal, organizations, request.origin);
    },

    async authenticateWorkload(token, organizationId, origin) {
      if (!dependencies.bearerTokens) throw signInErrors.unavailable();
      // platform scope: the connection is found by the token's issuer before the organisation is known.
      const principal = await dependencies.bearerTokens.verify(
        token,
        organizationId === undefined ? undefined : { organizationId },
      );
      return workloadCaller(principal, organizations, origin);
    },
  };
}
