import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock, createSecretBox } from '../support/index.ts';
import { createAuditLog } from './audit/index.ts';
import { addMembership, findMember, removeMembership } from './membership-repository.ts';
import { createSessionMembershipDirectory } from './session-membership-directory.ts';
import { createSignInDirectory } from './sign-in-directory.ts';
import { databaseBackends, type OpenedDatabase } from './sso/database-backends.fixture.ts';
import {
  parseSsoConnectionInput,
  type SignInDirectory,
  type SignInRequest,
  saveSsoConnection,
} from './sso/index.ts';
import { findLinkedIdentity } from './user-identity-repository.ts';
import { findUserByEmail } from './user-repository.ts';

const secretBox = createSecretBox(randomBytes(32));
const issuer = 'https://login.example.com/tenant/v2.0';
const origin = { clientAddress: '203.0.113.9', requestId: 'req_sign_in' };

function request(overrides: Partial<SignInRequest> = {}): SignInRequest {
  return {
    organizationId: 'org_a',
    issuer,
    subject: 'subject-ada',
    email: 'ada@example.com',
    emailVerified: true,
    name: 'Ada Lovelace',
    groups: ['engineers'],
    mappedRole: 'developer',
    origin,
    ...overrides,
  };
}

async function saveConnection(opened: OpenedDatabase, roleMapping: Record<string, string>) {
  await saveSsoConnection(
    opened.database,
    secretBox,
    'org_a',
    parseSsoConnectionInput({
      issuer,
      client_id: 'kimi',
      client_secret: 'client-secret-value',
      redirect_uri: 'https://kimi.example.com/v1/auth/sso/callback',
      role_mapping: roleMapping,
      default_role: 'viewer',
    }),
    new Date(),
  );
}

for (const backend of await databaseBackends()) {
  describe(`the sign-in directory on ${backend.name}`, () => {
    let opened: OpenedDatabase;
    let directory: SignInDirectory;
    const announced: string[][] = [];

    async function auditActions(userId: string) {
      const result = await opened.database.query<{
        action: string;
        actor_type: string;
        client_address: string;
      }>('SELECT action, actor_type, client_address FROM audit_log WHERE target_id = $1 ORDER BY id', [
        userId,
      ]);
      return result.rows;
    }

    beforeAll(async () => {
      opened = await backend.open();
      await saveConnection(opened, { engineers: 'developer', admins: 'admin' });
    });
    afterAll(async () => {
      await opened.close();
    });
    beforeEach(() => {
      announced.length = 0;
      directory = createSignInDirectory({
        database: opened.database,
        clock: createManualClock(Date.UTC(2026, 0, 5)),
        audit: createAuditLog({ database: opened.database, clock: createManualClock(Date.UTC(2026, 0, 5)) }),
        onMemberKeysChanged: async (hashes) => {
          announced.push([...hashes]);
        },
      });
    });

    it('creates the user just in time, links the identity and makes a member with the mapped role', async () => {
      const decision = await directory.resolve(request());
      expect(decision).toMatchObject({ outcome: 'accepted', role: 'developer' });
      if (decision.outcome !== 'accepted') return;
      const user = await findUserByEmail(opened.database, 'ada@example.com');
      expect(user).toMatchObject({ id: decision.userId, name: 'Ada Lovelace', status: 'active' });
      expect(await findLinkedIdentity(opened.database, issuer, 'subject-ada')).toMatchObject({
        userId: decision.userId,
        organizationId: 'org_a',
        email: 'ada@example.com',
      });
      expect((await findMember(opened.database, 'org_a', decision.userId))?.role).toBe('developer');
      expect(await auditActions(decision.userId)).toEqual([
        { action: 'member.added', actor_type: 'user', client_address: '203.0.113.9' },
      ]);

      const again = await directory.resolve(request({ email: 'ada@new-domain.example' }));
      expect(again).toEqual({ outcome: 'accepted', userId: decision.userId, role: 'developer' });
      expect(await auditActions(decision.userId)).toHaveLength(1);
      expect(await findLinkedIdentity(opened.database, issuer, 'subject-ada')).toMatchObject({
        email: 'ada@new-domain.example',
      });
    });

    it('refuses an unverified or missing email for an identity it does not know', async () => {
      await expect(
        directory.resolve(
          request({ subject: 'subject-eve', email: 'eve@example.com', emailVerified: false }),
        ),
      ).resolves.toEqual({ outcome: 'refused', reason: expect.stringContaining('verified') });
      await expect(
        directory.resolve(request({ subject: 'subject-eve', email: 'eve@example.com', emailVerified: null })),
      ).resolves.toMatchObject({ outcome: 'refused' });
      await expect(directory.resolve(request({ subject: 'subject-eve', email: null }))).resolves.toEqual({
        outcome: 'refused',
        reason: expect.stringContaining('email_claim'),
      });
      expect(await findUserByEmail(opened.database, 'eve@example.com')).toBeNull();
      expect(await findLinkedIdentity(opened.database, issuer, 'subject-eve')).toBeNull();
    });

    it('links a verified email to the person who already has an account', async () => {
      await opened.database.query(
        "INSERT INTO users (id, email, name) VALUES ('usr_grace', 'Grace@Example.com', 'Grace')",
      );
      const decision = await directory.resolve(
        request({ subject: 'subject-grace', email: 'grace@example.com', mappedRole: 'viewer' }),
      );
      expect(decision).toEqual({ outcome: 'accepted', userId: 'usr_grace', role: 'viewer' });
    });

    it("makes an existing member's role follow the mapping, and keeps the last owner", async () => {
      const first = await directory.resolve(request({ subject: 'subject-lin', email: 'lin@example.com' }));
      if (first.outcome !== 'accepted') throw new Error('refused');
      await opened.database.query(
        `INSERT INTO api_keys (id, organization_id, name, role, display_prefix, secret_hash, user_id)
         VALUES ('key_lin', 'org_a', 'lin (personal)', 'developer', 'sk-kimi-xxxx…', 'hash-of-lin', $1)`,
        [first.userId],
      );
      const promoted = await directory.resolve(
        request({ subject: 'subject-lin', email: 'lin@example.com', mappedRole: 'admin' }),
      );
      expect(promoted).toMatchObject({ role: 'admin' });
      expect((await findMember(opened.database, 'org_a', first.userId))?.role).toBe('admin');
      expect(announced).toEqual([['hash-of-lin']]);
      expect((await auditActions(first.userId)).map((entry) => entry.action)).toEqual([
        'member.added',
        'member.role_changed',
      ]);

      await opened.database.query("UPDATE memberships SET role = 'owner' WHERE user_id = $1", [first.userId]);
      const owner = await directory.resolve(
        request({ subject: 'subject-lin', email: 'lin@example.com', mappedRole: 'viewer' }),
      );
      expect(owner).toMatchObject({ outcome: 'accepted', role: 'owner' });
    });

    it('leaves roles to the platform when the connection maps no groups', async () => {
      await saveConnection(opened, {});
      try {
        const first = await directory.resolve(request({ subject: 'subject-kim', email: 'kim@example.com' }));
        if (first.outcome !== 'accepted') throw new Error('refused');
        await opened.database.query("UPDATE memberships SET role = 'admin' WHERE user_id = $1", [
          first.userId,
        ]);
        const next = await directory.resolve(
          request({ subject: 'subject-kim', email: 'kim@example.com', mappedRole: 'viewer' }),
        );
        expect(next).toMatchObject({ role: 'admin' });
      } finally {
        await saveConnection(opened, { engineers: 'developer', admins: 'admin' });
      }
    });

    it('refuses a disabled account and a disabled organisation', async () => {
      const first = await directory.resolve(request({ subject: 'subject-max', email: 'max@example.com' }));
      if (first.outcome !== 'accepted') throw new Error('refused');
      await opened.database.query("UPDATE users SET status = 'disabled' WHERE id = $1", [first.userId]);
      await expect(
        directory.resolve(request({ subject: 'subject-max', email: 'max@example.com' })),
      ).resolves.toEqual({ outcome: 'refused', reason: 'the account is disabled' });
      await expect(
        directory.resolve(
          request({ organizationId: 'org_b', subject: 'subject-new', email: 'new@example.com' }),
        ),
      ).resolves.toMatchObject({ outcome: 'accepted' });
      await opened.database.query("UPDATE organizations SET disabled_at = now() WHERE id = 'org_b'");
      await expect(
        directory.resolve(
          request({ organizationId: 'org_b', subject: 'subject-new', email: 'new@example.com' }),
        ),
      ).resolves.toEqual({ outcome: 'refused', reason: 'the organisation is disabled' });
    });

    it('gives sessions the member role now, and none once removed or disabled', async () => {
      const memberships = createSessionMembershipDirectory(opened.database);
      await addMembership(opened.database, { organizationId: 'org_a', userId: 'user_1', role: 'billing' });
      expect(await memberships.currentRole({ organizationId: 'org_a', userId: 'user_1' })).toBe('billing');
      expect(await memberships.currentRole({ organizationId: 'org_b', userId: 'user_1' })).toBeNull();
      await opened.database.query("UPDATE users SET status = 'disabled' WHERE id = 'user_1'");
      expect(await memberships.currentRole({ organizationId: 'org_a', userId: 'user_1' })).toBeNull();
      await opened.database.query("UPDATE users SET status = 'active' WHERE id = 'user_1'");
      await removeMembership(opened.database, 'org_a', 'user_1');
      expect(await memberships.currentRole({ organizationId: 'org_a', userId: 'user_1' })).toBeNull();
    });
  });
}
