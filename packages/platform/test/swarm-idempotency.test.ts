import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemporaryDatabase, postgresAvailable, type TemporaryDatabase } from './support/services.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * `Idempotency-Key` on POST /v1/swarms over real HTTP: a repeated creation returns the same run
 * (200, `idempotent-replayed: true`), the same key with another body is a 422, a malformed key a
 * 400 naming the header, keys are per organisation, and concurrent creations with one key make
 * one run. On PGlite, and on PostgreSQL too when one is reachable.
 */
const usePostgres = await postgresAvailable();
const backends = usePostgres ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

describe.each(backends)('swarm creation with an Idempotency-Key (%s)', (backend) => {
  let temporary: TemporaryDatabase | undefined;
  let testApp: TestApp;
  let tenant: { organizationId: string; secret: string };
  let other: { organizationId: string; secret: string };

  beforeAll(async () => {
    temporary = backend === 'postgres' ? await createTemporaryDatabase() : undefined;
    testApp = await startTestApp({
      listen: true,
      ...(temporary ? { databaseUrl: temporary.url } : {}),
      config: { providers: { sim: { models: { steady: { latency_ms: 5 } } } } },
    });
    tenant = await createTenant(testApp, { name: 'idempotent tenant' });
    other = await createTenant(testApp, { name: 'other tenant' });
  }, 60_000);

  afterAll(async () => {
    await testApp?.close();
    await temporary?.drop();
  });

  const create = async (body: Record<string, unknown>, key?: string, secret = tenant.secret) => {
    const response = await fetch(`${testApp.baseUrl}/v1/swarms`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${secret}`,
        'content-type': 'application/json',
        ...(key === undefined ? {} : { 'idempotency-key': key }),
      },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      replayed: response.headers.get('idempotent-replayed'),
      location: response.headers.get('location'),
      body: (await response.json()) as {
        id: string;
        task: string;
        error?: { code: string; param: string | null; type: string };
      },
    };
  };

  const runsWithKey = async (organizationId: string, key: string) => {
    const result = await testApp.database.query<{ id: string }>(
      'SELECT id FROM swarm_runs WHERE organization_id = $1 AND idempotency_key = $2',
      [organizationId, key],
    );
    return result.rows.map((row) => row.id);
  };

  const task = { task: 'Summarise the idempotency draft', model: 'sim/steady' };

  it('creates once and replays the same run for the same key and body', async () => {
    const first = await create(task, 'key-replay-1');
    expect(first.status).toBe(202);
    expect(first.replayed).toBeNull();
    const again = await create(task, 'key-replay-1');
    expect(again.status).toBe(200);
    expect(again.replayed).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(again.location).toBe(`/v1/swarms/${first.body.id}`);
    // field order does not make another request
    const reordered = await create({ model: 'sim/steady', task: task.task }, 'key-replay-1');
    expect(reordered.status).toBe(200);
    expect(reordered.body.id).toBe(first.body.id);
    expect(await runsWithKey(tenant.organizationId, 'key-replay-1')).toEqual([first.body.id]);
  });

  it('creates a new run for each request without a key, as before', async () => {
    const first = await create(task);
    const second = await create(task);
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(first.body.id).not.toBe(second.body.id);
  });

  it('refuses the same key with a different body with a coded 422', async () => {
    const first = await create(task, 'key-conflict-1');
    expect(first.status).toBe(202);
    const changed = await create({ ...task, task: 'Something else entirely' }, 'key-conflict-1');
    expect(changed.status).toBe(422);
    expect(changed.body.error).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      param: 'Idempotency-Key',
      type: 'invalid_request_error',
    });
    expect(await runsWithKey(tenant.organizationId, 'key-conflict-1')).toEqual([first.body.id]);
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(256)],
    ['with a control character', 'bad\tkey'],
  ])('refuses a key that is %s with a 400 naming Idempotency-Key', async (_label, key) => {
    const refused = await create(task, key);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'INVALID_REQUEST', param: 'Idempotency-Key' });
  });

  it('accepts a key of 255 printable characters', async () => {
    const key = `${'~ '.repeat(127)}!`;
    expect(key).toHaveLength(255);
    const created = await create(task, key);
    expect(created.status).toBe(202);
    expect((await create(task, key)).body.id).toBe(created.body.id);
  });

  it('keeps keys per organisation: another tenant gets its own run', async () => {
    const mine = await create(task, 'shared-key');
    const theirs = await create(task, 'shared-key', other.secret);
    expect([mine.status, theirs.status]).toEqual([202, 202]);
    expect(theirs.body.id).not.toBe(mine.body.id);
    const theirReplay = await create(task, 'shared-key', other.secret);
    expect(theirReplay.body.id).toBe(theirs.body.id);
  });

  it('makes one run of concurrent creations with one key', async () => {
    const attempts = await Promise.all(Array.from({ length: 6 }, () => create(task, 'key-concurrent-1')));
    const ids = new Set(attempts.map((attempt) => attempt.body.id));
    expect(ids.size).toBe(1);
    expect(attempts.filter((attempt) => attempt.status === 202)).toHaveLength(1);
    expect(attempts.filter((attempt) => attempt.status === 200 && attempt.replayed === 'true')).toHaveLength(
      5,
    );
    expect(await runsWithKey(tenant.organizationId, 'key-concurrent-1')).toEqual([...ids]);
  });
});
