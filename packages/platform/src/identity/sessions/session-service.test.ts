import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deleteRedisKeysWithPrefix } from '../../../test/support/redis-test-support.ts';
import { redisAvailable, testRedisUrl, uniqueRedisPrefix } from '../../../test/support/services.ts';
import { createMemoryKeyValueStore, createRedisKeyValueStore } from '../../storage/kv/index.ts';
import { createManualClock, type ManualClock } from '../../support/index.ts';
import { createAuditLog } from '../audit/index.ts';
import { databaseBackends, type OpenedDatabase } from '../sso/database-backends.fixture.ts';
import type { MembershipRole } from '../sso/index.ts';
import { deriveSessionKeys } from './session-keys.ts';
import { deleteEndedSessions } from './session-repository.ts';
import {
  createSessionService,
  type SessionMembershipDirectory,
  type SessionService,
} from './session-service.ts';
import { sessionSettingsSchema } from './session-settings-schema.ts';

const settings = sessionSettingsSchema.parse({});
const masterKey = randomBytes(32);

/** The membership port as the identity room will answer it, in memory. */
class InMemoryMemberships implements SessionMembershipDirectory {
  readonly roles = new Map<string, MembershipRole>();
  async currentRole(member: { organizationId: string; userId: string }): Promise<MembershipRole | null> {
    return this.roles.get(`${member.organizationId}/${member.userId}`) ?? null;
  }
}

for (const backend of await databaseBackends()) {
  describe(`browser sessions on ${backend.name}`, () => {
    let opened: OpenedDatabase;
    let clock: ManualClock;
    let memberships: InMemoryMemberships;
    let sessions: SessionService;

    function newService(keys = deriveSessionKeys([masterKey])): SessionService {
      return createSessionService({
        database: opened.database,
        keyValueStore: createMemoryKeyValueStore({ clock }),
        clock,
        keys,
        memberships,
        settings,
      });
    }

    beforeAll(async () => {
      opened = await backend.open();
    });
    afterAll(async () => {
      await opened.close();
    });
    beforeEach(() => {
      clock = createManualClock(Date.UTC(2026, 0, 5, 9));
      memberships = new InMemoryMemberships();
      memberships.roles.set('org_a/user_1', 'developer');
      memberships.roles.set('org_a/user_2', 'viewer');
      sessions = newService();
    });

    it('starts a session: a short-lived access token and a refresh token stored only as a hash', async () => {
      const issued = await sessions.start({ organizationId: 'org_a', userId: 'user_1', role: 'developer' });
      expect(issued).toMatchObject({ organizationId: 'org_a', userId: 'user_1', role: 'developer' });
      expect(issued.sessionId).toMatch(/^ses_[A-Za-z0-9]{24}$/);
      expect(issued.refreshToken).toMatch(/^kimi_rt\.org_a\.[A-Za-z0-9_-]{43}$/);
      expect(issued.accessTokenExpiresAt).toBe(clock.now() + settings.access_token_ttl_ms);
      expect(issued.refreshTokenExpiresAt).toBe(clock.now() + settings.refresh_token_ttl_ms);
      expect(await sessions.authenticate(issued.accessToken)).toEqual({
        sessionId: issued.sessionId,
        userId: 'user_1',
        organizationId: 'org_a',
        role: 'developer',
        expiresAt: issued.accessTokenExpiresAt,
      });
      const stored = await opened.database.query<{ token_hash: string }>(
        'SELECT token_hash FROM session_refresh_tokens WHERE session_id = $1',
        [issued.sessionId],
      );
      expect(stored.rows).toHaveLength(1);
      expect(stored.rows[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(stored.rows)).not.toContain(issued.refreshToken.split('.')[2]);
    });

    it('expires the access token after its lifetime', async () => {
      const issued = await sessions.start({ organizationId: 'org_a', userId: 'user_1', role: 'developer' });
      clock.advance(settings.access_token_ttl_ms);
      await expect(sessions.authenticate(issued.accessToken)).rejects.toMatchObject({
        code: 'SESSION_ACCESS_TOKEN_EXPIRED',
        status: 401,
      });
    });

    it('refuses an altered access token, and one signed under another master key', async () => {
      const issued = await sessions.start({ organizationId: 'org_a', userId: 'user_1', role: 'developer' });
      const [header, payload, signature] = issued.accessToken.split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
      const forged = Buffer.from(JSON.stringify({ ...claims, role: 'owner' })).toString('base64url');
      await expect(sessions.authenticate(`${header}.${forged}.${signature}`)).rejects.toMatchObject({
        code: 'SESSION_ACCESS_TOKEN_INVALID',
      });
      await expect(sessions.authenticate('garbage')).rejects.toMatchObject({
        code: 'SESSION_ACCESS_TOKEN_INVALID',
      });
      const stranger = newService(deriveSessionKeys([randomBytes(32)]));
      await expect(stranger.authenticate(issued.accessToken)).rejects.toMatchObject({
        code: 'SESSION_ACCESS_TOKEN_INVALID',
      });
      const rotatedMasterKey = newService(deriveSessionKeys([randomBytes(32), masterKey]));
      await expect(rotatedMasterKey.authenticate(issued.accessToken)).resolves.toMatchObject({
        userId: 'user_1',
      });
    });

    it('rotates the refresh token on each use and reads the role again', async () => {
      const first = await sessions.start({ organizationId: 'org_a', userId: 'user_1', role: 'developer' });
      clock.advance(60_000);
      memberships.roles.set('org_a/user_1', 'admin');
      const second = await sessions.refresh(first.refreshToken);
      expect(second.sessionId).toBe(first.sessionId);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(second.csrfToken).not.toBe(first.csrfToken);
      expect(await sessions.authenticate(second.accessToken)).toMatchObject({ role: 'admin' });
      clock.advance(60_000);
      const third = await sessions.refresh(second.refreshToken);
      expect(third.refreshToken).not.toBe(second.refreshToken);
      const stored = await opened.database.query<{ rotated: boolean }>(
        'SELECT rotated_at IS NOT NULL AS rotated FROM session_refresh_tokens WHERE session_id = $1 ORDER BY issued_at',
        [first.sessionId],
      );
      expect(stored.rows.map((row) => row.rotated)).toEqual([true, true, false]);
    });

    it('detects reuse of a rotated refresh token and revokes the whole family', async () => {
      const first = await sessions.start({ organizationId: 'org_a', userId: 'user_1', role: 'developer' });
      const unrelated = await sessions.start({
        organizationId: 'org_a',
        userId: 'user_1',
        role: 'developer',
      });
      const second = await sessions.refresh(first.refreshToken);
      clock.advance(settings.refresh_reuse_grace_ms);

      await expect(sessions.refresh(first.refreshToken)).rejects.toMatchObject({
        code: 'SESSION_REFRESH_TOKEN_REUSED',
        status: 401,
      });
      await expect(sessions.refresh(second.refreshToken)).rejects.toMatchObject({ code: 'SESSION_REVOKED' });
      await expect(sessions.authenticate(second.accessToken)).rejects.toMatchObject({
        code: 'SESSION_REVOKED',
      });
      await expect(sessions.refresh(unrelated.refreshToken)).resolves.toMatchObject({
        sessionId: unrelated.sessionId,
      });
    });

    it('tells a concurrent second refresh to retry instead of revoking (two tabs)', async () => {
      const first = await sessions.start({ organizationId: 'org_a', userId: 'user_1', role: 'developer' });
      const outcomes = await Promise.allSettled([
        sessions.refresh(first.refreshToken),
        sessions.refresh(first.refreshToken),
      ]);
      const fulfilled = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toHaveLength(1);
      expect((rejected[0] as PromiseRejectedResult).reason).toMatchObject({
        code: 'SESSION_REFRESH_TOKEN_SUPERSEDED',
        status: 409,
        retryable: true,
      });
      const winner = (fulfilled[0] as PromiseFulfilledResult<Awaited<ReturnType<SessionService['refresh']>>>)
        .value;
      await expect(sessions.refresh(winner.refreshToken)).resolves.toMatchObject({
        sessionId: first.sessionId,
      });
    });

    it('signs out: the family is revoked and its access token refused at once', async () => {
      const issued = await sessions.start({ organizationId: 'org_a', userId: 'user_1', role: 'developer' });
      expect(await sessions.signOut(issued.refreshToken)).toBe(true);
      await expect(sessions.authenticate(issued.accessToken)).rejects.toMatchObject({
        code: 'SESSION_REVOKED',
      });
      await expect(sessions.refresh(issued.refreshToken)).rejects.toMatchObject({ code: 'SESSION_REVOKED' });
      expect(await sessions.signOut('kimi_rt.org_a.unknown')).toBe(false);
      expect(await sessions.signOut('not a token')).toBe(false);

      const other = await sessions.start({ organizationId: 'org_a', userId: 'user_1', role: 'developer' });
      expect(await sessions.revoke('org_a', other.sessionId, 'signed-out')).toBe(true);
      await expect(sessions.authenticate(other.accessToken)).rejects.toMatchObject({
        code: 'SESSION_REVOKED',
      });
    });

    it('revokes every session of a member, and ends a session whose membership ended', async () => {
      const one = await sessions.start({ organizationId: 'org_a', userId: 'user_2', role: 'viewer' });
      const two = await sessions.start({ organizationId: 'org_a', userId: 'user_2', role: 'viewer' });
      const kept = await sessions.start({ organizationId: 'org_a', userId: 'user_1', role: 'developer' });
      expect(await sessions.revokeAllForUser('org_a', 'user_2', 'removed')).toBe(2);
      for (const issued of [one, two]) {
        await expect(sessions.authenticate(issued.accessToken)).rejects.toMatchObject({
          code: 'SESSION_REVOKED',
        });
      }
      await expect(sessions.authenticate(kept.accessToken)).resolves.toMatchObject({ userId: 'user_1' });

      memberships.roles.delete('org_a/user_1');
      await expect(sessions.refresh(kept.refreshToken)).rejects.toMatchObject({
        code: 'SESSION_MEMBERSHIP_ENDED',
        status: 403,
      });
      await expect(sessions.authenticate(kept.accessToken)).rejects.toMatchObject({
        code: 'SESSION_REVOKED',
      });
    });

    it('ends an idle session, and any session at its maximum age', async () => {
      const idle = await sessions.start({ organizationId: 'org_a', userId: 'user_1', role: 'developer' });
      clock.advance(settings.refresh_token_ttl_ms);
      await expect(sessions.refresh(idle.refreshToken)).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });

      let current = await sessions.start({ organizationId: 'org_a', userId: 'user_1', role: 'developer' });
      const endsAt = clock.now() + settings.session_max_age_ms;
      while (clock.now() + settings.refresh_token_ttl_ms / 2 < endsAt) {
        clock.advance(settings.refresh_token_ttl_ms / 2);
        current = await sessions.refresh(current.refreshToken);
        expect(current.refreshTokenExpiresAt).toBeLessThanOrEqual(endsAt);
        expect(current.accessTokenExpiresAt).toBeLessThanOrEqual(endsAt);
      }
      clock.advance(endsAt - clock.now());
      await expect(sessions.refresh(current.refreshToken)).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
    });

    it('refuses refresh tokens that are not ours, or are presented for another organisation', async () => {
      const issued = await sessions.start({ organizationId: 'org_a', userId: 'user_1', role: 'developer' });
      const moved = issued.refreshToken.replace('.org_a.', '.org_b.');
      for (const token of ['', 'garbage', moved, `${issued.refreshToken}x`, 'kimi_rt.org_a.short']) {
        await expect(sessions.refresh(token)).rejects.toMatchObject({
          code: 'SESSION_REFRESH_TOKEN_INVALID',
        });
      }
      await expect(sessions.refresh(issued.refreshToken)).resolves.toMatchObject({ userId: 'user_1' });
    });

    it('records starts, sign-outs, reuse and removals in the audit log, in the change’s transaction', async () => {
      const audited = createSessionService({
        database: opened.database,
        keyValueStore: createMemoryKeyValueStore({ clock }),
        clock,
        keys: deriveSessionKeys([masterKey]),
        memberships,
        settings,
        audit: createAuditLog({ database: opened.database, clock }),
      });
      const origin = { clientAddress: '198.51.100.4', requestId: 'req_audit' };
      const entriesOf = async (sessionId: string) =>
        (
          await opened.database.query<{ action: string; actor_type: string; actor_id: string | null }>(
            'SELECT action, actor_type, actor_id FROM audit_log WHERE target_id = $1 ORDER BY id',
            [sessionId],
          )
        ).rows;
      const signedOut = await audited.start(
        { organizationId: 'org_a', userId: 'user_1', role: 'developer' },
        origin,
      );
      await audited.signOut(signedOut.refreshToken, origin);
      expect(await entriesOf(signedOut.sessionId)).toEqual([
        { action: 'session.started', actor_type: 'user', actor_id: 'user_1' },
        { action: 'session.ended', actor_type: 'user', actor_id: 'user_1' },
      ]);

      const stolen = await audited.start({ organizationId: 'org_a', userId: 'user_1', role: 'developer' });
      await audited.refresh(stolen.refreshToken);
      clock.advance(settings.refresh_reuse_grace_ms);
      await expect(audited.refresh(stolen.refreshToken, origin)).rejects.toMatchObject({
        code: 'SESSION_REFRESH_TOKEN_REUSED',
      });
      expect((await entriesOf(stolen.sessionId)).map((entry) => entry.action)).toEqual([
        'session.started',
        'session.refresh_reused',
      ]);

      const removed = await audited.start({ organizationId: 'org_a', userId: 'user_2', role: 'viewer' });
      const administrator = { type: 'api_key' as const, id: 'key_admin', organizationId: 'org_a' };
      expect(
        await audited.revokeAllForUser('org_a', 'user_2', 'member-removed', { actor: administrator, origin }),
      ).toBe(1);
      expect(await entriesOf(removed.sessionId)).toEqual([
        { action: 'session.started', actor_type: 'user', actor_id: 'user_2' },
        { action: 'session.ended', actor_type: 'api_key', actor_id: 'key_admin' },
      ]);
      const reasons = await opened.database.query<{ after: { reason: string } }>(
        "SELECT after FROM audit_log WHERE target_id = $1 AND action = 'session.ended'",
        [removed.sessionId],
      );
      expect(reasons.rows[0]?.after.reason).toBe('member-removed');
    });

    it('deletes sessions that ended before a given time', async () => {
      const issued = await sessions.start({ organizationId: 'org_a', userId: 'user_2', role: 'viewer' });
      await sessions.signOut(issued.refreshToken);
      clock.advance(settings.session_max_age_ms + 1);
      const deleted = await deleteEndedSessions(opened.database, clock.now());
      expect(deleted).toBeGreaterThan(0);
      const left = await opened.database.query('SELECT id FROM browser_sessions WHERE id = $1', [
        issued.sessionId,
      ]);
      expect(left.rows).toEqual([]);
      const tokens = await opened.database.query(
        'SELECT 1 FROM session_refresh_tokens WHERE session_id = $1',
        [issued.sessionId],
      );
      expect(tokens.rows).toEqual([]);
    });
  });
}

const redis = await redisAvailable();

describe.runIf(redis)('sign-out across replicas sharing Redis', () => {
  const prefix = uniqueRedisPrefix('sessions');
  let opened: OpenedDatabase;
  beforeAll(async () => {
    opened = await (await databaseBackends())[0]!.open();
  });
  afterAll(async () => {
    await opened.close();
    await deleteRedisKeysWithPrefix(testRedisUrl, prefix);
  });

  it('refuses on every replica the access token of a session signed out on one', async () => {
    const memberships = new InMemoryMemberships();
    const stores = [0, 1].map(() => createRedisKeyValueStore({ url: testRedisUrl, keyPrefix: prefix }));
    try {
      const [first, second] = stores.map((keyValueStore) =>
        createSessionService({
          database: opened.database,
          keyValueStore,
          clock: createManualClock(Date.now()),
          keys: deriveSessionKeys([masterKey]),
          memberships,
          settings,
        }),
      ) as [SessionService, SessionService];
      const issued = await first.start({ organizationId: 'org_a', userId: 'user_1', role: 'developer' });
      await expect(second.authenticate(issued.accessToken)).resolves.toMatchObject({ userId: 'user_1' });
      await first.signOut(issued.refreshToken);
      await expect(second.authenticate(issued.accessToken)).rejects.toMatchObject({
        code: 'SESSION_REVOKED',
      });
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});
