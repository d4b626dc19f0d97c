import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/storage/db/index.ts';
import { type ReceivedSpan, startOtlpReceiver } from './support/otlp-receiver.ts';
import { startServerProcess } from './support/server-process.ts';
import {
  createTemporaryDatabase,
  postgresAvailable,
  redisAvailable,
  testRedisUrl,
} from './support/services.ts';
import { waitForRun } from './support/swarm-test-support.ts';

/**
 * One swarm run is one trace across processes: the API process (which runs no swarms) queues the
 * run on BullMQ with the request's trace context beside its id, and a `worker` process executes
 * it; both export over OTLP to the receiver here, on PostgreSQL + Redis.
 */
const adminKey = `sk-kimi-tracing-swarm-${'t'.repeat(32)}`;
const services = (await postgresAvailable()) && (await redisAvailable());
const cleanups: Array<() => Promise<void>> = [];
const callerTraceId = '0af7651916cd43dd8448eb211c80319c';
const callerSpanId = 'b7ad6b7169203331';

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

function ancestorsReach(spans: readonly ReceivedSpan[], span: ReceivedSpan, rootId: string): boolean {
  const byId = new Map(spans.map((each) => [each.spanId, each]));
  let current: ReceivedSpan | undefined = span;
  for (let depth = 0; current && depth < 50; depth++) {
    if (current.spanId === rootId) return true;
    current = byId.get(current.parentSpanId);
  }
  return false;
}

/** A receiver, a scratch database and the environment both processes share (sim/slow at `latencyMs`). */
async function tracedDeployment(latencyMs: number) {
  const receiver = await startOtlpReceiver();
  cleanups.push(() => receiver.close());
  const temporary = await createTemporaryDatabase();
  cleanups.push(() => temporary.drop());
  const directory = await mkdtemp(join(tmpdir(), 'kimi-tracing-swarm-'));
  cleanups.push(() => rm(directory, { recursive: true, force: true }));
  const config = join(directory, 'kimi.config.yaml');
  await writeFile(config, `providers:\n  sim:\n    models:\n      slow:\n        latency_ms: ${latencyMs}\n`);
  const environment = {
    DATABASE_URL: temporary.url,
    REDIS_URL: testRedisUrl,
    KIMI_DATA_DIR: directory,
    KIMI_CONFIG: config,
    KIMI_ADMIN_KEY: adminKey,
    KIMI_SWARM_LEASE_MS: '1500',
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.tracesUrl.replace(/\/v1\/traces$/, ''),
  };
  const api = await startServerProcess({ ...environment, KIMI_SWARM_WORKER: '0' });
  cleanups.push(() => api.stop());
  return { receiver, environment, api, databaseUrl: temporary.url };
}

async function createRun(baseUrl: string, traceId: string, agents: number): Promise<string> {
  const created = await fetch(`${baseUrl}/v1/swarms`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${adminKey}`,
      'content-type': 'application/json',
      traceparent: `00-${traceId}-${callerSpanId}-01`,
    },
    body: JSON.stringify({
      task: 'Trace me',
      model: 'sim/slow',
      max_agents: agents,
      agents: Array.from({ length: agents }, (_, index) => ({
        role: `part-${index}`,
        instructions: `Do part ${index}.`,
      })),
    }),
  });
  expect(created.status).toBe(202);
  expect(created.headers.get('traceparent')).toMatch(new RegExp(`^00-${traceId}-`));
  return ((await created.json()) as { id: string }).id;
}

describe('a swarm run traced across the API and a worker process', () => {
  it.runIf(services)(
    'comes out as one trace from the caller request to every agent, step and model call',
    async () => {
      const { receiver, environment, api } = await tracedDeployment(20);
      const worker = await startServerProcess(environment, { command: 'worker' });
      cleanups.push(() => worker.stop());

      const runId = await createRun(api.baseUrl, callerTraceId, 2);
      expect((await waitForRun(api.baseUrl, adminKey, runId, 60_000)).status).toBe('completed');

      // Stopping the processes flushes what their batch processors still hold.
      await worker.stop();
      await api.stop();
      await receiver.waitFor((spans) =>
        spans.some((span) => span.name === 'swarm run' && span.traceId === callerTraceId),
      );
      const trace = receiver.spans.filter((span) => span.traceId === callerTraceId);
      const request = trace.find((span) => span.name === 'POST /v1/swarms');
      expect(request?.serviceName).toBe('kimi-platform');
      expect(request?.parentSpanId).toBe(callerSpanId);
      const run = trace.find((span) => span.name === 'swarm run');
      expect(run?.serviceName).toBe('kimi-platform-worker');
      expect(run?.kind).toBe(5);
      expect(run?.attributes['kimi.swarm.run_id']).toBe(runId);
      expect(ancestorsReach(trace, run!, request!.spanId)).toBe(true);

      const workerSpans = trace.filter((span) => span.serviceName === 'kimi-platform-worker');
      const names = new Set(workerSpans.map((span) => span.name));
      for (const name of [
        'swarm run',
        'swarm step plan',
        'swarm step model-call',
        'gateway chat',
        'chat slow',
      ])
        expect(names, name).toContain(name);
      expect(workerSpans.filter((span) => span.name.startsWith('swarm agent ')).length).toBe(2);
      // Every span of the run hangs under the caller's request: one trace, one tree.
      for (const span of workerSpans)
        expect(ancestorsReach(trace, span, request!.spanId), span.name).toBe(true);
      // And no trace of the run's own started elsewhere.
      const runTraces = new Set(
        receiver.spans
          .filter((span) => span.attributes['kimi.swarm.run_id'] === runId)
          .map((span) => span.traceId),
      );
      expect([...runTraces]).toEqual([callerTraceId]);
    },
    180_000,
  );

  it.runIf(services)(
    'stays one trace when its worker is killed and another resumes it',
    async () => {
      const traceId = 'dead0000beef0000dead0000beef0001';
      const { receiver, environment, api, databaseUrl } = await tracedDeployment(150);
      const first = await startServerProcess(environment, { command: 'worker' });
      cleanups.push(() => first.stop());
      const runId = await createRun(api.baseUrl, traceId, 12);
      const database = await openDatabase({ databaseUrl, dataDirectory: 'memory://' });
      cleanups.push(() => database.close());
      const deadline = Date.now() + 30_000;
      for (;;) {
        const done = await database.query(
          `SELECT 1 FROM swarm_steps WHERE run_id = $1 AND status = 'completed' AND kind = 'model-call'`,
          [runId],
        );
        if (done.rowCount >= 3) break;
        if (Date.now() > deadline) throw new Error('the run made no progress');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await first.stop('SIGKILL');
      const second = await startServerProcess(environment, { command: 'worker' });
      cleanups.push(() => second.stop());
      expect((await waitForRun(api.baseUrl, adminKey, runId, 90_000)).status).toBe('completed');
      await second.stop();
      await receiver.waitFor((spans) =>
        spans.some((span) => span.name === 'swarm step synthesis' && span.traceId === traceId),
      );
      // The resumed run's spans (the sweep re-queued it with the context stored on the run row).
      const resumed = receiver.spans.filter(
        (span) => span.name === 'swarm run' && span.attributes['kimi.swarm.run_id'] === runId,
      );
      expect(resumed.length).toBeGreaterThan(0);
      expect(new Set(resumed.map((span) => span.traceId))).toEqual(new Set([traceId]));
    },
    180_000,
  );

  it('stays one trace when the embedded server is killed and resumes it from the run row', async () => {
    const traceId = 'dead0000beef0000dead0000beef0002';
    const receiver = await startOtlpReceiver();
    cleanups.push(() => receiver.close());
    const directory = await mkdtemp(join(tmpdir(), 'kimi-tracing-embedded-'));
    cleanups.push(() => rm(directory, { recursive: true, force: true }));
    const config = join(directory, 'kimi.config.yaml');
    await writeFile(config, 'providers:\n  sim:\n    models:\n      slow:\n        latency_ms: 150\n');
    const environment = {
      KIMI_DATA_DIR: directory,
      KIMI_CONFIG: config,
      KIMI_ADMIN_KEY: adminKey,
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.tracesUrl,
    };
    const first = await startServerProcess(environment);
    const runId = await createRun(first.baseUrl, traceId, 12);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const response = await fetch(`${first.baseUrl}/v1/swarms/${runId}`, {
        headers: { authorization: `Bearer ${adminKey}` },
      });
      const body = (await response.json()) as { agents: Array<{ status: string }> };
      if (body.agents.filter((agent) => agent.status === 'completed').length >= 3) break;
      if (Date.now() > deadline) throw new Error('the run made no progress');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // why this case: the in-process queue dies with the process, so only the run row can carry the trace on.
    await first.stop('SIGKILL');
    const second = await startServerProcess(environment);
    cleanups.push(() => second.stop());
    expect((await waitForRun(second.baseUrl, adminKey, runId, 90_000)).status).toBe('completed');
    await second.stop();
    const resumed = receiver.spans.filter(
      (span) => span.name === 'swarm run' && span.attributes['kimi.swarm.run_id'] === runId,
    );
    expect(resumed.length).toBeGreaterThan(0);
    expect(new Set(resumed.map((span) => span.traceId))).toEqual(new Set([traceId]));
  }, 180_000);
});
