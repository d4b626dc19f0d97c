import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from './support/server-process.ts';
import {
  createTemporaryDatabase,
  postgresAvailable,
  redisAvailable,
  testRedisUrl,
} from './support/services.ts';
import { waitForRun } from './support/swarm-test-support.ts';

/*
 * A `kimi-platform worker` serves no API, yet executes the swarm runs and documents: with
 * KIMI_WORKER_METRICS_PORT it answers Prometheus on /metrics with the runs it executed.
 */
const adminKey = `sk-kimi-worker-metrics-${'w'.repeat(32)}`;
const services = (await postgresAvailable()) && (await redisAvailable());
const cleanups: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

async function scrape(worker: ServerProcess): Promise<string> {
  const match = /metrics on (http:\/\/[^\s)]+)/.exec(worker.output());
  if (!match?.[1]) throw new Error(`the worker named no metrics address:\n${worker.output()}`);
  const response = await fetch(match[1]);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

describe('worker metrics', () => {
  it.runIf(services)(
    'a worker on PostgreSQL + Redis exposes the swarm runs it executed, its queues and process metrics, as serve does',
    async () => {
      const temporary = await createTemporaryDatabase();
      cleanups.push(() => temporary.drop());
      const directory = await mkdtemp(join(tmpdir(), 'kimi-worker-metrics-'));
      cleanups.push(() => rm(directory, { recursive: true, force: true }));
      const environment = {
        DATABASE_URL: temporary.url,
        REDIS_URL: testRedisUrl,
        KIMI_DATA_DIR: directory,
        KIMI_ADMIN_KEY: adminKey,
      };
      const server = await startServerProcess({ ...environment, KIMI_SWARM_WORKER: '0' });
      cleanups.push(() => server.stop());
      const worker = await startServerProcess(
        { ...environment, KIMI_WORKER_METRICS_PORT: '0' },
        { command: 'worker' },
      );
      cleanups.push(() => worker.stop());

      // `serve` has the process metrics on as well.
      const served = await (await fetch(`${server.baseUrl}/metrics`)).text();
      expect(served).toContain('kimi_process_nodejs_eventloop_lag_p99_seconds');
      expect(served).toContain('kimi_process_nodejs_gc_duration_seconds_bucket');
      expect(served).toContain('kimi_database_connections{state="total"}');

      const before = await scrape(worker);
      expect(before).toContain('kimi_queue_jobs{queue="swarm-runs",state="waiting"}');
      expect(before).toContain('kimi_process_nodejs_eventloop_lag_p99_seconds');
      expect(before).not.toContain('kimi_swarm_runs_total{');

      const created = await fetch(`${server.baseUrl}/v1/swarms`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ task: 'Count to three', model: 'sim/fast', max_agents: 2 }),
      });
      expect(created.status).toBe(202);
      const run = (await created.json()) as { id: string };
      expect((await waitForRun(server.baseUrl, adminKey, run.id, 60_000)).status).toBe('completed');

      const after = await scrape(worker);
      expect(after).toContain('kimi_swarm_runs_total{status="completed"} 1');
      expect(after).toMatch(/kimi_swarm_steps_total\{kind="plan",outcome="completed"\} 1\b/);
      const notFound = await fetch(
        (/metrics on (http:\/\/[^\s)]+)/.exec(worker.output())?.[1] ?? '').replace('/metrics', '/v1/models'),
      );
      expect(notFound.status).toBe(404);
    },
    120_000,
  );
});
