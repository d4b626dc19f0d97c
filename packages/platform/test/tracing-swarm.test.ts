import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from './support/otlp-receiver.ts';
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

describe('a swarm run traced across the API and a worker process', () => {
  let receiver: OtlpReceiver;

  it.runIf(services)(
    'comes out as one trace from the caller request to every agent, step and model call',
    async () => {
      receiver = await startOtlpReceiver();
      cleanups.push(() => receiver.close());
      const temporary = await createTemporaryDatabase();
      cleanups.push(() => temporary.drop());
      const directory = await mkdtemp(join(tmpdir(), 'kimi-tracing-swarm-'));
      cleanups.push(() => rm(directory, { recursive: true, force: true }));
      const config = join(directory, 'kimi.config.yaml');
      await writeFile(config, 'providers:\n  sim:\n    models:\n      slow:\n        latency_ms: 20\n');
      const environment = {
        DATABASE_URL: temporary.url,
        REDIS_URL: testRedisUrl,
        KIMI_DATA_DIR: directory,
        KIMI_CONFIG: config,
        KIMI_ADMIN_KEY: adminKey,
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.tracesUrl.replace(/\/v1\/traces$/, ''),
      };
      const api = await startServerProcess({ ...environment, KIMI_SWARM_WORKER: '0' });
      cleanups.push(() => api.stop());
      const worker = await startServerProcess(environment, { command: 'worker' });
      cleanups.push(() => worker.stop());

      const created = await fetch(`${api.baseUrl}/v1/swarms`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${adminKey}`,
          'content-type': 'application/json',
          traceparent: `00-${callerTraceId}-${callerSpanId}-01`,
        },
        body: JSON.stringify({
          task: 'Trace me',
          model: 'sim/slow',
          agents: [
            { role: 'first', instructions: 'Do the first part.' },
            { role: 'second', instructions: 'Do the second part.' },
          ],
        }),
      });
      expect(created.status).toBe(202);
      expect(created.headers.get('traceparent')).toMatch(new RegExp(`^00-${callerTraceId}-`));
      const runId = ((await created.json()) as { id: string }).id;
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
});
