import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from './support/server-process.ts';
import {
  createTemporaryDatabase,
  postgresAvailable,
  redisAvailable,
  testRedisUrl,
} from './support/services.ts';

/*
 * The proof that limits hold exactly under concurrency and across replicas: real server
 * processes, real PostgreSQL and Redis, hundreds of requests in flight at once. A request to
 * sim/fast with max_tokens 1 costs exactly $0.01 (one output token at $10,000 per million, input
 * free), so a $1.00 budget admits exactly 100 of them, whatever the interleaving.
 */
const adminKey = `sk-kimi-limits-proof-${'p'.repeat(32)}`;
const config = JSON.stringify({
  prices: { 'sim/fast': { input_per_million: '0', output_per_million: '10000' } },
  providers: { sim: { models: { fast: { latency_ms: 5 } } } },
});
const postgres = await postgresAvailable();
const redis = await redisAvailable();
const cleanups: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function configFile(): Promise<{ directory: string; path: string }> {
  const directory = await mkdtemp(join(tmpdir(), 'kimi-limits-'));
  cleanups.push(() => rm(directory, { recursive: true, force: true }));
  const path = join(directory, 'kimi.json');
  await writeFile(path, config);
  return { directory, path };
}

async function admin(server: ServerProcess, method: string, path: string, body?: object) {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (response.status >= 300) throw new Error(`${method} ${path}: ${JSON.stringify(json)}`);
  return json;
}

async function tenant(
  server: ServerProcess,
  name: string,
): Promise<{ organizationId: string; secret: string }> {
  const organization = await admin(server, 'POST', '/v1/admin/organizations', { name, plan: null });
  const organizationId = String(organization.id);
  const key = await admin(server, 'POST', `/v1/admin/organizations/${organizationId}/keys`, {
    name: 'load',
    role: 'member',
  });
  return { organizationId, secret: String(key.secret) };
}

/** Sends `count` requests at once, spread round-robin over the servers; returns the status counts. */
async function burst(servers: readonly ServerProcess[], secret: string, count: number) {
  const statuses = await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const server = servers[index % servers.length]!;
      const response = await fetch(`${server.baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'sim/fast',
          max_tokens: 1,
          messages: [{ role: 'user', content: `Request ${index}: tell me about lighthouses.` }],
        }),
      });
      const text = await response.text();
      if (![200, 402, 429].includes(response.status)) console.error(`unexpected ${response.status}: ${text}`);
      return response.status;
    }),
  );
  const counts = new Map<number, number>();
  for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
  return counts;
}

type SettledSpend = (tenant: { organizationId: string; secret: string }) => Promise<string>;

async function proveBudget(servers: readonly ServerProcess[], settledSpend: SettledSpend) {
  const { organizationId, secret } = await tenant(servers[0]!, 'one dollar');
  const budget = await admin(servers[0]!, 'POST', `/v1/admin/organizations/${organizationId}/budgets`, {
    scope: 'organization',
    limit_usd: '1.00',
    period: 'month',
  });
  const counts = await burst(servers, secret, 600);
  // $1.00 / $0.01 = 100 accepted; the other 500 are refused for the budget, none fail otherwise.
  expect(Object.fromEntries(counts)).toEqual({ 200: 100, 402: 500 });
  expect(await settledSpend({ organizationId, secret })).toBe('1.000000000000');
  const level = await admin(
    servers.at(-1)!,
    'GET',
    `/v1/admin/organizations/${organizationId}/budgets/${budget.id}`,
  );
  expect(level).toMatchObject({ spent_usd: '1', reserved_usd: '0' });
}

async function proveRequestsPerMinute(servers: readonly ServerProcess[]) {
  const { organizationId, secret } = await tenant(servers[0]!, 'hundred a minute');
  await admin(servers[0]!, 'PUT', `/v1/admin/organizations/${organizationId}/rate-limits`, {
    requests_per_minute: 100,
  });
  const counts = await burst(servers, secret, 300);
  expect(Object.fromEntries(counts)).toEqual({ 200: 100, 429: 200 });
}

describe.runIf(postgres && redis)('three processes on one PostgreSQL and one Redis', () => {
  let servers: ServerProcess[] = [];
  let databaseUrl = '';

  const settledSpend: SettledSpend = async ({ organizationId }) => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const result = await client.query<{ spent: string }>(
        'SELECT coalesce(sum(cost_usd), 0)::numeric(24, 12)::text AS spent FROM usage_records WHERE organization_id = $1',
        [organizationId],
      );
      return result.rows[0]?.spent ?? '';
    } finally {
      await client.end();
    }
  };

  it('start', async () => {
    const database = await createTemporaryDatabase();
    cleanups.push(() => database.drop());
    databaseUrl = database.url;
    const { path } = await configFile();
    const environment = {
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl,
      KIMI_CONFIG: path,
      KIMI_ADMIN_KEY: adminKey,
    };
    const first = await startServerProcess(environment);
    cleanups.push(() => first.stop());
    const others = await Promise.all([startServerProcess(environment), startServerProcess(environment)]);
    for (const server of others) cleanups.push(() => server.stop());
    servers = [first, ...others];
  }, 60_000);

  it('a $1.00 budget under 600 concurrent requests: spend ≤ $1.00 and exactly the arithmetic refused', async () => {
    await proveBudget(servers, settledSpend);
  }, 60_000);

  it('100 requests per minute: exactly 100 of 300 concurrent requests accepted', async () => {
    await proveRequestsPerMinute(servers);
  }, 60_000);
});

describe('one embedded process (PGlite, in-process counters)', () => {
  let servers: ServerProcess[] = [];
  let dataDirectory = '';

  it('start', async () => {
    const { directory, path } = await configFile();
    dataDirectory = join(directory, 'data');
    const server = await startServerProcess(
      {
        KIMI_DATA_DIR: dataDirectory,
        KIMI_CONFIG: path,
        KIMI_ADMIN_KEY: adminKey,
        DATABASE_URL: '',
        REDIS_URL: '',
      },
      { timeoutMs: 60_000 },
    );
    cleanups.push(() => server.stop());
    servers = [server];
  }, 90_000);

  it('a $1.00 budget under 600 concurrent requests: spend ≤ $1.00 and exactly the arithmetic refused', async () => {
    await proveBudget(servers, async ({ secret }) => {
      // The embedded store is locked by the server, so the spend is read through its usage API.
      const response = await fetch(`${servers[0]!.baseUrl}/v1/usage`, {
        headers: { authorization: `Bearer ${secret}` },
      });
      const body = (await response.json()) as { totals?: { cost_usd?: string } };
      return String(body.totals?.cost_usd);
    });
  }, 60_000);

  it('100 requests per minute: exactly 100 of 300 concurrent requests accepted', async () => {
    await proveRequestsPerMinute(servers);
  }, 60_000);
});
