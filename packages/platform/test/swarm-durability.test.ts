import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/storage/db/index.ts';
import { startServerProcess } from './support/server-process.ts';
import {
  createTemporaryDatabase,
  postgresAvailable,
  redisAvailable,
  testRedisUrl,
} from './support/services.ts';
import { waitForRun } from './support/swarm-test-support.ts';

/**
 * SIGKILL in the middle of a run: another worker (or the restarted embedded server) completes
 * it from its last completed step, and no step whose result was stored is executed again.
 */
const adminKey = `sk-kimi-swarm-durability-${'s'.repeat(32)}`;
const services = (await postgresAvailable()) && (await redisAvailable());
const cleanups: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

async function configFile(): Promise<{ directory: string; path: string }> {
  const directory = await mkdtemp(join(tmpdir(), 'kimi-swarm-durability-'));
  cleanups.push(() => rm(directory, { recursive: true, force: true }));
  const path = join(directory, 'kimi.config.yaml');
  await writeFile(path, 'providers:\n  sim:\n    models:\n      slow:\n        latency_ms: 150\n');
  return { directory, path };
}

async function createRun(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/v1/swarms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      task: 'Survive a crash',
      model: 'sim/slow',
      max_parallel: 4,
      max_agents: 24,
      agents: Array.from({ length: 24 }, (_, index) => ({
        role: `part-${index}`,
        instructions: `Handle part ${index}.`,
      })),
    }),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

async function completedSteps(database: Database, runId: string): Promise<string[]> {
  const result = await database.query<{ key: string }>(
    `SELECT key FROM swarm_steps WHERE run_id = $1 AND status = 'completed' AND kind IN ('plan', 'model-call', 'synthesis')`,
    [runId],
  );
  return result.rows.map((row) => row.key);
}

async function waitForCompletedSteps(database: Database, runId: string, count: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await completedSteps(database, runId)).length < count) {
    if (Date.now() > deadline) throw new Error('the run made no progress');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Model calls per step, from the gateway's own usage records (one per call made). */
async function callsPerStep(database: Database, runId: string): Promise<Map<string, number>> {
  const result = await database.query<{ request_id: string }>(
    `SELECT request_id FROM usage_records WHERE request_id LIKE $1 AND status = 200`,
    [`swarm_${runId}_%`],
  );
  const counts = new Map<string, number>();
  for (const row of result.rows) {
    const key = row.request_id.slice(`swarm_${runId}_`.length).replace(/_\d+$/, '');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

async function expectNoCompletedStepRanTwice(
  database: Database,
  runId: string,
  completedAtKill: readonly string[],
) {
  const counts = await callsPerStep(database, runId);
  expect(completedAtKill.length).toBeGreaterThan(0);
  for (const key of completedAtKill) expect(counts.get(key), key).toBe(1);
  const resumed = [...counts.entries()].filter(([, count]) => count > 1).map(([key]) => key);
  console.log(
    `[swarm-durability] ${completedAtKill.length} steps completed before the kill, none re-run; ` +
      `${resumed.length} in-flight step(s) re-executed after it (${resumed.join(', ') || 'none'})`,
  );
  for (const key of resumed) expect(completedAtKill).not.toContain(key);
}

describe('a swarm run survives SIGKILL', () => {
  it.runIf(services)(
    'of its worker: a second worker completes it on PostgreSQL + Redis',
    async () => {
      const temporary = await createTemporaryDatabase();
      cleanups.push(() => temporary.drop());
      const { directory, path } = await configFile();
      const environment = {
        DATABASE_URL: temporary.url,
        REDIS_URL: testRedisUrl,
        KIMI_DATA_DIR: directory,
        KIMI_CONFIG: path,
        KIMI_ADMIN_KEY: adminKey,
        KIMI_SWARM_LEASE_MS: '1500',
      };
      const server = await startServerProcess({ ...environment, KIMI_SWARM_WORKER: '0' });
      cleanups.push(() => server.stop());
      const firstWorker = await startServerProcess(environment, { command: 'worker' });
      const database = await openDatabase({ databaseUrl: temporary.url, dataDirectory: 'memory://' });
      cleanups.push(() => database.close());
      const runId = await createRun(server.baseUrl);
      await waitForCompletedSteps(database, runId, 6);
      await firstWorker.stop('SIGKILL');
      const completedAtKill = await completedSteps(database, runId);
      const secondWorker = await startServerProcess(environment, { command: 'worker' });
      cleanups.push(() => secondWorker.stop());
      const run = await waitForRun(server.baseUrl, adminKey, runId, 60_000);
      expect(run.status).toBe('completed');
      await expectNoCompletedStepRanTwice(database, runId, completedAtKill);
    },
    120_000,
  );

  it('of the embedded server: the restarted server completes it on PGlite', async () => {
    const { directory, path } = await configFile();
    const environment = { KIMI_DATA_DIR: directory, KIMI_CONFIG: path, KIMI_ADMIN_KEY: adminKey };
    const first = await startServerProcess(environment);
    const runId = await createRun(first.baseUrl);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const response = await fetch(`${first.baseUrl}/v1/swarms/${runId}`, {
        headers: { authorization: `Bearer ${adminKey}` },
      });
      const body = (await response.json()) as { agents: Array<{ status: string }> };
      if (body.agents.filter((agent) => agent.status === 'completed').length >= 4) break;
      if (Date.now() > deadline) throw new Error('the run made no progress');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await first.stop('SIGKILL');
    const snapshot = await openDatabase({ dataDirectory: join(directory, 'data') });
    const completedAtKill = await completedSteps(snapshot, runId);
    await snapshot.close();
    const second = await startServerProcess(environment);
    cleanups.push(() => second.stop());
    const run = await waitForRun(second.baseUrl, adminKey, runId, 60_000);
    expect(run.status).toBe('completed');
    await second.stop();
    const database = await openDatabase({ dataDirectory: join(directory, 'data') });
    try {
      await expectNoCompletedStepRanTwice(database, runId, completedAtKill);
    } finally {
      await database.close();
    }
  }, 120_000);
});
