/**
 * People, memberships, invitations and teams, on both stores: an invitation is accepted once,
 * makes a member with a personal key whose role follows the membership, and the organisation
 * always keeps an owner.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/support/index.ts';
import { createTemporaryDatabase, postgresAvailable, type TemporaryDatabase } from './support/services.ts';
import { startTestApp, type TestApp } from './support/test-app.ts';

const postgres = await postgresAvailable();
const backends = [{ name: 'PGlite' }, ...(postgres ? [{ name: 'PostgreSQL' }] : [])];

describe.each(backends)('people and teams ($name)', ({ name }) => {
  let testApp: TestApp;
  let temporary: TemporaryDatabase | undefined;
  let receiver: Server;
  const delivered: Record<string, unknown>[] = [];
  const clock = createManualClock(Date.now());
  let organizationId: string;
  let adminSecret: string;

  const as = (secret: string) => ({ authorization: `Bearer ${secret}` });
  const base = () => `/v1/admin/organizations/${organizationId}`;
  const call = (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    secret?: string,
    payload?: object,
  ) =>
    testApp.app.inject({
      method,
      url,
      ...(secret ? { headers: as(secret) } : {}),
      ...(payload ? { payload } : {}),
    });

  async function invite(email: string, role: string, secret = adminSecret, extra: object = {}) {
    const response = await call('POST', `${base()}/invitations`, secret, { email, role, ...extra });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{
      id: string;
      token: string;
      accept_url: string;
      webhook_delivered: boolean | null;
    }>();
  }

  async function accept(token: string) {
    const response = await call('POST', '/v1/invitations/accept', undefined, { token, name: 'A Person' });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{
      user: { id: string };
      role: string;
      api_key: { secret: string; user_id: string };
    }>();
  }

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk) => {
        text += chunk;
      });
      request.on('end', () => {
        delivered.push(JSON.parse(text));
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as AddressInfo).port;
    temporary = name === 'PostgreSQL' ? await createTemporaryDatabase() : undefined;
    testApp = await startTestApp({
      clock,
      ...(temporary ? { databaseUrl: temporary.url } : {}),
      config: {
        identity: {
          public_url: 'https://kimi.example.com/',
          invitations: { webhook_url: `http://127.0.0.1:${port}/invitations` },
        },
      },
    });
    const organization = await call('POST', '/v1/admin/organizations', testApp.adminKey, { name: 'people' });
    organizationId = organization.json().id;
    const key = await call('POST', `${base()}/keys`, testApp.adminKey, { name: 'admin', role: 'admin' });
    adminSecret = key.json().secret;
  });

  afterAll(async () => {
    await testApp?.close();
    await temporary?.drop();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('accepts an invitation once, sends it to the webhook and gives the person a personal key', async () => {
    const invitation = await invite('Ada@Example.com', 'developer');
    expect(invitation.token).toMatch(/^kimi-invite-/);
    expect(invitation.accept_url).toBe(
      `https://kimi.example.com/dashboard/accept-invitation?token=${encodeURIComponent(invitation.token)}`,
    );
    expect(invitation.webhook_delivered).toBe(true);
    expect(delivered.at(-1)).toMatchObject({
      type: 'invitation.created',
      email: 'Ada@Example.com',
      role: 'developer',
      accept_url: invitation.accept_url,
    });
    const listed = await call('GET', `${base()}/invitations`, adminSecret);
    expect(listed.body).not.toContain(invitation.token);
    expect(listed.json().data.find((entry: { id: string }) => entry.id === invitation.id).status).toBe(
      'pending',
    );

    const accepted = await accept(invitation.token);
    expect(accepted.role).toBe('developer');
    const me = await call('GET', '/v1/me', accepted.api_key.secret);
    expect(me.json()).toMatchObject({
      role: 'developer',
      user_id: accepted.user.id,
      organization_id: organizationId,
    });
    expect(me.json().permissions).toContain('models:invoke');

    const replay = await call('POST', '/v1/invitations/accept', undefined, { token: invitation.token });
    expect(replay.statusCode).toBe(404);
    expect(replay.json().error).toMatchObject({ code: 'INVITATION_INVALID', param: 'token' });
    const again = await call('POST', `${base()}/invitations`, adminSecret, { email: 'ada@example.com' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ALREADY_MEMBER');
  });

  it('refuses an expired or revoked invitation, naming the token', async () => {
    const expiring = await invite('late@example.com', 'viewer', adminSecret, { expires_in_hours: 1 });
    clock.advance(2 * 3_600_000);
    const late = await call('POST', '/v1/invitations/accept', undefined, { token: expiring.token });
    expect(late.statusCode).toBe(410);
    expect(late.json().error).toMatchObject({ code: 'INVITATION_EXPIRED', param: 'token' });
    const revoked = await invite('gone@example.com', 'viewer');
    expect((await call('DELETE', `${base()}/invitations/${revoked.id}`, adminSecret)).json().status).toBe(
      'revoked',
    );
    const refused = await call('POST', '/v1/invitations/accept', undefined, { token: revoked.token });
    expect(refused.json().error.code).toBe('INVITATION_INVALID');
    const bad = await call('POST', '/v1/invitations/accept', undefined, { token: 42 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.param).toBe('token');
  });

  it('lets a personal key act with the membership role, and stop when the person leaves', async () => {
    const accepted = await accept((await invite('bob@example.com', 'developer')).token);
    const secret = accepted.api_key.secret;
    const userId = accepted.user.id;
    expect((await call('GET', '/v1/usage', secret)).statusCode).toBe(200);
    expect((await call('POST', '/v1/tools', secret, {})).statusCode).toBe(403);

    const demoted = await call('PATCH', `${base()}/members/${userId}`, adminSecret, { role: 'billing' });
    expect(demoted.json()).toMatchObject({ role: 'billing', email: 'bob@example.com' });
    const chat = await call('POST', '/v1/chat/completions', secret, {
      model: 'sim/fast',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(chat.statusCode).toBe(403);
    expect(chat.json().error.message).toContain('POST /v1/chat/completions');

    expect((await call('DELETE', `${base()}/members/${userId}`, adminSecret)).statusCode).toBe(200);
    const after = await call('GET', '/v1/me', secret);
    expect(after.statusCode).toBe(401);
    const missing = await call('GET', `${base()}/members/${userId}`, adminSecret);
    expect(missing.statusCode).toBe(404);
  });

  it('keeps an owner, and lets only owners make or unmake owners', async () => {
    const owner = await accept((await invite('owner@example.com', 'owner', testApp.adminKey)).token);
    const ownerInvite = await call('POST', `${base()}/invitations`, adminSecret, {
      email: 'second-owner@example.com',
      role: 'owner',
    });
    expect(ownerInvite.statusCode).toBe(403);
    const demote = await call('PATCH', `${base()}/members/${owner.user.id}`, adminSecret, { role: 'admin' });
    expect(demote.statusCode).toBe(403);
    const last = await call('PATCH', `${base()}/members/${owner.user.id}`, testApp.adminKey, {
      role: 'admin',
    });
    expect(last.statusCode).toBe(409);
    expect(last.json().error).toMatchObject({ code: 'LAST_OWNER', param: 'role' });
    const second = await accept((await invite('co-owner@example.com', 'owner', owner.api_key.secret)).token);
    const stepDown = await call('PATCH', `${base()}/members/${owner.user.id}`, second.api_key.secret, {
      role: 'admin',
    });
    expect(stepDown.json().role).toBe('admin');
    const members = await call('GET', `${base()}/members?limit=100`, adminSecret);
    const roles = Object.fromEntries(
      members.json().data.map((member: { email: string; role: string }) => [member.email, member.role]),
    );
    expect(roles).toMatchObject({ 'owner@example.com': 'admin', 'co-owner@example.com': 'owner' });
  });

  it('groups members and keys into teams', async () => {
    const created = await call('POST', `${base()}/teams`, adminSecret, {
      name: 'search',
      metadata: { cc: '7' },
    });
    expect(created.statusCode).toBe(201);
    const teamId = created.json().id as string;
    const duplicate = await call('POST', `${base()}/teams`, adminSecret, { name: 'search' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.param).toBe('name');

    const invited = await invite('carol@example.com', 'developer', adminSecret, { team_id: teamId });
    const carol = await accept(invited.token);
    const team = await call('GET', `${base()}/teams/${teamId}`, adminSecret);
    expect(team.json().member_ids).toEqual([carol.user.id]);
    expect((await call('GET', '/v1/me', carol.api_key.secret)).json().team_id).toBe(teamId);

    const key = await call('POST', `${base()}/keys`, adminSecret, { name: 'search svc', team_id: teamId });
    expect(key.json().team_id).toBe(teamId);
    const unknownTeam = await call('POST', `${base()}/keys`, adminSecret, {
      name: 'x',
      team_id: 'team_missing',
    });
    expect(unknownTeam.statusCode).toBe(404);
    expect(unknownTeam.json().error.param).toBe('team_id');

    const outsider = await call('PUT', `${base()}/teams/${teamId}/members/usr_nobody`, adminSecret);
    expect(outsider.statusCode).toBe(404);
    const removed = await call('DELETE', `${base()}/teams/${teamId}/members/${carol.user.id}`, adminSecret);
    expect(removed.json().member_ids).toEqual([]);
    expect((await call('DELETE', `${base()}/teams/${teamId}`, adminSecret)).statusCode).toBe(200);
    const detached = await call('GET', `${base()}/keys/${key.json().id}`, adminSecret);
    expect(detached.json().team_id).toBeNull();
  });

  it('writes every change to people, teams and invitations to the audit log', async () => {
    const entries = async (action: string) => {
      const response = await call(
        'GET',
        `/v1/audit?action=${encodeURIComponent(action)}&limit=100`,
        adminSecret,
      );
      expect(response.statusCode, response.body).toBe(200);
      return response.json().data as Array<{
        action: string;
        actor: { type: string };
        after: unknown;
        before: unknown;
      }>;
    };
    const accepted = (await entries('invitation.accepted')).filter((entry) => entry.actor.type === 'user');
    expect(accepted.length).toBeGreaterThanOrEqual(4);
    expect((await entries('invitation.created')).length).toBeGreaterThanOrEqual(6);
    expect((await entries('invitation.revoked')).length).toBe(1);
    const roleChanges = await entries('member.role_changed');
    expect(
      roleChanges.some((entry) => JSON.stringify(entry.after) === JSON.stringify({ role: 'billing' })),
    ).toBe(true);
    expect((await entries('member.removed')).length).toBe(1);
    const teamActions = (await entries('team.*')).map((entry) => entry.action).sort();
    // The team member joined through the invitation (recorded as invitation.accepted), then left.
    expect(teamActions).toEqual(['team.created', 'team.deleted', 'team.member_removed']);
    const everything = await call('GET', '/v1/audit/export', adminSecret);
    expect(everything.body).not.toMatch(/kimi-invite-/);
  });

  it('keeps people to their organisation', async () => {
    const other = await call('POST', '/v1/admin/organizations', testApp.adminKey, { name: 'other' });
    const otherKey = await call('POST', `/v1/admin/organizations/${other.json().id}/keys`, testApp.adminKey, {
      name: 'other admin',
      role: 'admin',
    });
    const theirs = otherKey.json().secret as string;
    for (const url of [`${base()}/members`, `${base()}/teams`, `${base()}/invitations`]) {
      const response = await call('GET', url, theirs);
      expect(response.statusCode, url).toBe(403);
    }
    const developer = await accept((await invite('dev@example.com', 'developer')).token);
    expect((await call('GET', `${base()}/members`, developer.api_key.secret)).statusCode).toBe(403);
  });
});
