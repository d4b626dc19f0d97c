import type { Database, Queryable } from '../../storage/db/index.ts';
import type { KeyValueStore } from '../../storage/kv/index.ts';
import type { Clock } from '../../support/index.ts';
import { type RequestOrigin, randomBase62 } from '../../tenancy/index.ts';
import { type AuditLog, systemActor } from '../audit/index.ts';
import { type MembershipRole, type RandomBytes, systemRandomBytes } from '../sso/index.ts';
import { issueCsrfToken } from './csrf.ts';
import { hashRefreshToken, newRefreshToken, organizationOfRefreshToken } from './refresh-tokens.ts';
import {
  type SessionPrincipal,
  signSessionAccessToken,
  verifySessionAccessToken,
} from './session-access-token.ts';
import { recordSessionEvent, type SessionAttribution, sessionOwner } from './session-audit.ts';
import type { SessionCookieValues } from './session-cookies.ts';
import { sessionErrors } from './session-errors.ts';
import type { SessionKeys } from './session-keys.ts';
import {
  findSessionByRefreshToken,
  insertRefreshToken,
  insertSession,
  lockRefreshToken,
  markRefreshTokenRotated,
  recordSessionRefresh,
  revokeStoredSession,
  revokeStoredUserSessions,
  type StoredSession,
} from './session-repository.ts';
import { createSessionRevocations } from './session-revocations.ts';
import type { SessionSettings } from './session-settings-schema.ts';

/** What a sign-in or a refresh gives the browser (set as cookies with `sessionCookies`). */
export interface IssuedSession extends SessionCookieValues {
  sessionId: string;
  userId: string;
  organizationId: string;
  role: MembershipRole;
}

/**
 * The port to memberships, implemented by the identity room: the member's role now, or null when
 * they are no longer a member (the session then ends at its next refresh).
 */
export interface SessionMembershipDirectory {
  currentRole(member: { organizationId: string; userId: string }): Promise<MembershipRole | null>;
}

/**
 * Browser sessions. With an audit log, every session started (`session.started`), ended
 * (`session.ended`, with its reason) and every detected refresh-token reuse
 * (`session.refresh_reused`) writes an entry in the transaction of the change; `origin` is the
 * request it came from.
 */
export interface SessionService {
  /**
   * Opens a session for a user who just signed in (a new refresh-token family). `alsoRecord` runs
   * in the session's transaction (the sign-in's own audit entry), so both commit or neither does.
   */
  start(
    member: { organizationId: string; userId: string; role: MembershipRole },
    origin?: RequestOrigin | null,
    alsoRecord?: (transaction: Queryable, sessionId: string) => Promise<void>,
  ): Promise<IssuedSession>;
  /**
   * Trades a refresh token for a new access token and a new refresh token (rotation). A token
   * already rotated is reuse: the whole family is revoked (after a short grace in which a second
   * tab's concurrent refresh is only told to retry). The role is read again from the directory.
   */
  refresh(refreshToken: string, origin?: RequestOrigin | null): Promise<IssuedSession>;
  /** The principal of an access token, or SESSION_ACCESS_TOKEN_EXPIRED / _INVALID / SESSION_REVOKED. */
  authenticate(accessToken: string): Promise<SessionPrincipal>;
  /** Revokes the family of a refresh token; false when the token is not one we know. */
  signOut(refreshToken: string, origin?: RequestOrigin | null): Promise<boolean>;
  /** Revokes one session (e.g. sign-out with only the access token at hand); `by` defaults to the platform. */
  revoke(
    organizationId: string,
    sessionId: string,
    reason: string,
    by?: SessionAttribution,
  ): Promise<boolean>;
  /**
   * Revokes every session of a member (removed from the organisation, disabled); how many. `by`
   * is who did it (the administrator who removed the member); the platform by default.
   */
  revokeAllForUser(
    organizationId: string,
    userId: string,
    reason: string,
    by?: SessionAttribution,
  ): Promise<number>;
}

export interface SessionServiceOptions {
  database: Database;
  keyValueStore: KeyValueStore;
  clock: Clock;
  keys: SessionKeys;
  memberships: SessionMembershipDirectory;
  settings: SessionSettings;
  /** Where session events are recorded; none in tests of this room alone. */
  audit?: AuditLog;
  random?: RandomBytes;
}

const platformAttribution: SessionAttribution = { actor: systemActor, origin: null };

type RefreshOutcome =
  | { kind: 'invalid' | 'revoked' | 'expired' | 'superseded' }
  | { kind: 'reused'; sessionId: string }
  | { kind: 'rotated'; session: StoredSession; refreshToken: string; refreshTokenExpiresAt: number };

export function createSessionService(options: SessionServiceOptions): SessionService {
  const { database, clock, keys, memberships, settings, audit } = options;
  const random = options.random ?? systemRandomBytes;
  const revocations = createSessionRevocations(options.keyValueStore, settings.access_token_ttl_ms);
  const signingKey = keys.accessTokenKeys[0];
  const csrfKey = keys.csrfKeys[0];
  if (!signingKey || !csrfKey) throw new Error('Sessions need at least one signing key.');

  async function issue(
    session: StoredSession,
    refreshToken: string,
    refreshTokenExpiresAt: number,
    now: number,
  ) {
    // why: whole seconds, as in the token's exp, so the cookie's Max-Age and the token agree.
    const accessTokenExpiresAt =
      Math.floor(Math.min(now + settings.access_token_ttl_ms, session.expiresAt) / 1000) * 1000;
    const principal = {
      sessionId: session.id,
      userId: session.userId,
      organizationId: session.organizationId,
      role: session.role,
      expiresAt: accessTokenExpiresAt,
    };
    return {
      ...principal,
      accessToken: await signSessionAccessToken(principal, signingKey!, now),
      accessTokenExpiresAt,
      refreshToken,
      refreshTokenExpiresAt,
      csrfToken: issueCsrfToken(session.id, csrfKey!, random),
    };
  }

  async function rotate(
    organizationId: string,
    presented: string,
    now: number,
    origin: RequestOrigin | null,
  ): Promise<RefreshOutcome> {
    return database.transaction(async (transaction) => {
      const hash = hashRefreshToken(presented);
      const token = await lockRefreshToken(transaction, organizationId, hash);
      if (!token) return { kind: 'invalid' };
      const { session } = token;
      if (session.revokedAt !== null) return { kind: 'revoked' };
      if (session.expiresAt <= now) return { kind: 'expired' };
      if (token.rotatedAt !== null) {
        if (now - token.rotatedAt < settings.refresh_reuse_grace_ms) return { kind: 'superseded' };
        await revokeStoredSession(transaction, organizationId, session.id, 'refresh-token-reuse', now);
        await recordSessionEvent(audit, transaction, {
          action: 'session.refresh_reused',
          session,
          by: sessionOwner(session, origin),
          reason: 'refresh-token-reuse',
        });
        return { kind: 'reused', sessionId: session.id };
      }
      if (token.expiresAt <= now) return { kind: 'expired' };
      await markRefreshTokenRotated(transaction, hash, now);
      const refreshToken = newRefreshToken(organizationId, random);
      const refreshTokenExpiresAt = Math.min(now + settings.refresh_token_ttl_ms, session.expiresAt);
      await insertRefreshToken(transaction, {
        hash: hashRefreshToken(refreshToken),
        sessionId: session.id,
        organizationId,
        issuedAt: now,
        expiresAt: refreshTokenExpiresAt,
      });
      return { kind: 'rotated', session, refreshToken, refreshTokenExpiresAt };
    });
  }

  async function revoke(
    organizationId: string,
    sessionId: string,
    reason: string,
    by: SessionAttribution = platformAttribution,
  ): Promise<boolean> {
    const revoked = await database.transaction(async (transaction) => {
      const session = await revokeStoredSession(transaction, organizationId, sessionId, reason, clock.now());
      if (session)
        await recordSessionEvent(audit, transaction, { action: 'session.ended', session, by, reason });
      return session !== null;
    });
    await revocations.markRevoked([sessionId]);
    return revoked;
  }

  return {
    async start(member, origin = null, alsoRecord) {
      const now = clock.now();
      const session: StoredSession = {
        id: `ses_${randomBase62(24)}`,
        organizationId: member.organizationId,
        userId: member.userId,
        role: member.role,
        createdAt: now,
        expiresAt: now + settings.session_max_age_ms,
        revokedAt: null,
      };
      const refreshToken = newRefreshToken(member.organizationId, random);
      const refreshTokenExpiresAt = Math.min(now + settings.refresh_token_ttl_ms, session.expiresAt);
      await database.transaction(async (transaction) => {
        await insertSession(transaction, session);
        await insertRefreshToken(transaction, {
          hash: hashRefreshToken(refreshToken),
          sessionId: session.id,
          organizationId: member.organizationId,
          issuedAt: now,
          expiresAt: refreshTokenExpiresAt,
        });
        await recordSessionEvent(audit, transaction, {
          action: 'session.started',
          session,
          by: sessionOwner(session, origin),
        });
        await alsoRecord?.(transaction, session.id);
      });
      return issue(session, refreshToken, refreshTokenExpiresAt, now);
    },

    async refresh(refreshToken, origin = null) {
      const organizationId = organizationOfRefreshToken(refreshToken);
      if (!organizationId) throw sessionErrors.refreshTokenInvalid();
      const now = clock.now();
      const outcome = await rotate(organizationId, refreshToken, now, origin);
      switch (outcome.kind) {
        case 'invalid':
          throw sessionErrors.refreshTokenInvalid();
        case 'revoked':
          throw sessionErrors.revoked();
        case 'expired':
          throw sessionErrors.expired();
        case 'superseded':
          throw sessionErrors.refreshTokenSuperseded();
        case 'reused':
          await revocations.markRevoked([outcome.sessionId]);
          throw sessionErrors.refreshTokenReused();
        case 'rotated':
          break;
      }
      const { session } = outcome;
      // why: outside the transaction, so a directory on the same embedded database cannot wait on it.
      const role = await memberships.currentRole({ organizationId, userId: session.userId });
      if (role === null) {
        await revoke(organizationId, session.id, 'membership-ended', { actor: systemActor, origin });
        throw sessionErrors.membershipEnded();
      }
      await recordSessionRefresh(database, session.id, role, now);
      return issue({ ...session, role }, outcome.refreshToken, outcome.refreshTokenExpiresAt, now);
    },

    async authenticate(accessToken) {
      const principal = await verifySessionAccessToken(accessToken, keys.accessTokenKeys, clock.now());
      if (await revocations.isRevoked(principal.sessionId)) throw sessionErrors.revoked();
      return principal;
    },

    async signOut(refreshToken, origin = null) {
      const organizationId = organizationOfRefreshToken(refreshToken);
      if (!organizationId) return false;
      const session = await findSessionByRefreshToken(
        database,
        organizationId,
        hashRefreshToken(refreshToken),
      );
      if (!session) return false;
      await revoke(organizationId, session.id, 'signed-out', sessionOwner(session, origin));
      return true;
    },

    revoke,

    async revokeAllForUser(organizationId, userId, reason, by = platformAttribution) {
      const revoked = await database.transaction(async (transaction) => {
        const sessions = await revokeStoredUserSessions(
          transaction,
          organizationId,
          userId,
          reason,
          clock.now(),
        );
        for (const session of sessions) {
          await recordSessionEvent(audit, transaction, { action: 'session.ended', session, by, reason });
        }
        return sessions.map((session) => session.id);
      });
      await revocations.markRevoked(revoked);
      return revoked.length;
    },
  };
}
