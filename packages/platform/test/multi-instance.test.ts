import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTemporaryDatabase,
  postgresAvailable,
  redisAvailable,
  type TemporaryDatabase,
  testRedisUrl,
  uniqueRedisPrefix,
} from './support/services.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * Two instances on one PostgreSQL: a key revoked through one is refused by the other within one
 * second, through the events port when Redis is shared, and through polling when it is not.
 */
const postgres = await postgresAvailable();
const redis = await redisAvailable();

async function refusedWithin(instance: TestApp, secret: string, limitMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < limitMs) {
    const response = await instance.app.inject({
      method: 'GET',
      url: '/v1/models',
      headers: { authorization: `Bearer ${secret}` },
    });
    if (response.statusCode === 401) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Number.POSITIVE_INFINITY;
}

/** Revokes a fresh key through `first` and returns how long `second` kept accepting it. */
async function revocationDelay(first: TestApp, second: TestApp): Promise<number> {
  const tenant = await createTenant(first);
  const headers = { authorization: `Bearer ${tenant.secret}` };
  expect((await second.app.inject({ method: 'GET', url: '/v1/models', headers })).statusCode).toBe(200);
  await revokeThrough(first, tenant);
  return refusedWithin(second, tenant.secret, 3000);
}

async function revokeThrough(instance: TestApp, tenant: { organizationId: string; keyId: string }) {
  const response = await instance.app.inject({
    method: 'DELETE',
    url: `/v1/admin/organizations/${tenant.organizationId}/keys/${tenant.keyId}`,
    headers: { authorization: `Bearer ${instance.adminKey}` },
  });
  expect(response.statusCode).toBe(200);
}

describe.runIf(postgres)('revocation across instances', () => {
  let database: TemporaryDatabase;
  const instances: TestApp[] = [];

  beforeAll(async () => {
    database = await createTemporaryDatabase();
  });

  afterAll(async () => {
    for (const instance of instances) await instance.close();
    await database?.drop();
  });

  it('reaches an instance without shared events within one second (polling)', async () => {
    const config = { auth: { revocation_poll_ms: 1000 } };
    const first = await startTestApp({ databaseUrl: database.url, config });
    const second = await startTestApp({ databaseUrl: database.url, config });
    instances.push(first, second);
    expect(await revocationDelay(first, second)).toBeLessThan(1000 + 250);
  });

  it.runIf(redis)('reaches an instance at once through Redis pub/sub', async () => {
    const prefix = uniqueRedisPrefix('revocation');
    // A long poll interval, so only the events port can explain a prompt refusal.
    const config = { auth: { revocation_poll_ms: 60_000 } };
    const first = await startTestApp({
      databaseUrl: database.url,
      config,
      redisUrl: testRedisUrl,
      redisPrefix: prefix,
    });
    const second = await startTestApp({
      databaseUrl: database.url,
      config,
      redisUrl: testRedisUrl,
      redisPrefix: prefix,
    });
    instances.push(first, second);
    expect(await revocationDelay(first, second)).toBeLessThan(500);
  });
});
