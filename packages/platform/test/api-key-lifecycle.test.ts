/**
 * A key's life after creation: rotation with an overlap, `last_used_at` written in batches, and
 * failed authentications refused with 429 once an address or a key prefix fails too often.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/support/index.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

const clock = createManualClock(Date.now());
let testApp: TestApp;

const as = (secret: string) => ({ authorization: `Bearer ${secret}` });

beforeAll(async () => {
  testApp = await startTestApp({
    clock,
    config: { auth: { failures_per_minute_per_address: 5, failures_per_minute_per_key_prefix: 3 } },
  });
});

afterAll(async () => {
  await testApp.close();
});

async function me(secret: string, address = '127.0.0.1') {
  return testApp.app.inject({ method: 'GET', url: '/v1/me', headers: as(secret), remoteAddress: address });
}

describe('API key lifecycle', () => {
  it('rotates a key: the new secret works at once, the old one until its grace period ends', async () => {
    const tenant = await createTenant(testApp, { role: 'developer' });
    const url = `/v1/admin/organizations/${tenant.organizationId}/keys/${tenant.keyId}/rotate`;
    const rotated = await testApp.app.inject({
      method: 'POST',
      url,
      headers: as(testApp.adminKey),
      payload: { grace_period_seconds: 600 },
    });
    expect(rotated.statusCode, rotated.body).toBe(200);
    const body = rotated.json();
    expect(body.id).toBe(tenant.keyId);
    expect(body.secret).not.toBe(tenant.secret);
    expect(new Date(body.previous_secret_valid_until).getTime()).toBe(clock.now() + 600_000);
    expect((await me(body.secret)).json().api_key.id).toBe(tenant.keyId);
    expect((await me(tenant.secret)).statusCode).toBe(200);
    clock.advance(601_000);
    const old = await me(tenant.secret);
    expect(old.statusCode).toBe(401);
    expect(old.json().error.code).toBe('API_KEY_EXPIRED');
    expect((await me(body.secret)).statusCode).toBe(200);

    const again = await testApp.app.inject({
      method: 'POST',
      url,
      headers: as(testApp.adminKey),
      payload: {},
    });
    const revoked = await testApp.app.inject({
      method: 'DELETE',
      url: `/v1/admin/organizations/${tenant.organizationId}/keys/${tenant.keyId}`,
      headers: as(testApp.adminKey),
    });
    expect(revoked.statusCode).toBe(200);
    // The revoked key's secrets, current and in their grace period, all stop.
    expect((await me(again.json().secret)).statusCode).toBe(401);
    expect((await me(body.secret)).statusCode).toBe(401);
    const bad = await testApp.app.inject({
      method: 'POST',
      url,
      headers: as(testApp.adminKey),
      payload: { grace_period_seconds: -1 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.param).toBe('grace_period_seconds');
  });

  it('records last_used_at in one batched write, without moving the key out of the caches', async () => {
    const tenant = await createTenant(testApp, { role: 'developer' });
    const keyUrl = `/v1/admin/organizations/${tenant.organizationId}/keys/${tenant.keyId}`;
    const before = await testApp.app.inject({ method: 'GET', url: keyUrl, headers: as(testApp.adminKey) });
    expect(before.json().last_used_at).toBeNull();
    for (let index = 0; index < 5; index += 1) expect((await me(tenant.secret)).statusCode).toBe(200);
    await testApp.platform.authenticator.flushLastUsed();
    const after = await testApp.app.inject({ method: 'GET', url: keyUrl, headers: as(testApp.adminKey) });
    expect(new Date(after.json().last_used_at).getTime()).toBe(clock.now());
    const updated = await testApp.database.query<{ updated_at: Date; created_at: Date }>(
      'SELECT updated_at, created_at FROM api_keys WHERE id = $1',
      [tenant.keyId],
    );
    expect(updated.rows[0]!.updated_at.getTime()).toBe(updated.rows[0]!.created_at.getTime());
  });

  it('refuses an address that keeps failing, until the window ends; valid keys elsewhere still work', async () => {
    const tenant = await createTenant(testApp, { role: 'developer' });
    clock.advance(60_000 - (clock.now() % 60_000));
    const attacker = '198.51.100.7';
    const statuses: number[] = [];
    for (let index = 0; index < 7; index += 1) {
      statuses.push((await me(`sk-kimi-${index}guess-${'x'.repeat(30)}`, attacker)).statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const refused = await me(tenant.secret, attacker);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('AUTHENTICATION_RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await me(tenant.secret, '198.51.100.8')).statusCode).toBe(200);
    const audit = await testApp.app.inject({
      method: 'GET',
      url: '/v1/audit?action=authentication.refused',
      headers: as(testApp.adminKey),
    });
    expect(audit.json().data.map((entry: { target: { id: string } }) => entry.target.id)).toContain(attacker);
    clock.advance(61_000);
    expect((await me(tenant.secret, attacker)).statusCode).toBe(200);
  });

  it('answers failures with a key prefix 429 past its limit, while the real key keeps working', async () => {
    const tenant = await createTenant(testApp, { role: 'developer' });
    clock.advance(60_000 - (clock.now() % 60_000));
    const prefix = tenant.secret.slice(0, 12);
    const statuses: number[] = [];
    for (let index = 0; index < 5; index += 1) {
      statuses.push((await me(`${prefix}${index}${'y'.repeat(30)}`, `203.0.113.${index}`)).statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect((await me(tenant.secret, '203.0.113.99')).statusCode).toBe(200);
  });
});
