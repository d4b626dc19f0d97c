/**
 * The load generator, run as its own process so it never shares an event loop with a target.
 * Reads one LoadStep from BENCH_LOAD_STEP, runs it on an undici pool sized for it, reports progress
 * and the result over IPC, and exits. Refuses any target that is not on 127.0.0.1.
 */
import { Pool } from 'undici';
import type { GeneratorMessage, LoadResult, LoadStep } from './load-types.ts';
import { connectionsForRate } from './pool-size.ts';
import { requestBodies } from './request-body.ts';
import { type LiveCounters, runClosedLoop, runHold, runOpenLoop } from './schedules.ts';
import type { PreparedRequest } from './send-request.ts';

function send(message: GeneratorMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) resolve();
    else process.send(message, () => resolve());
  });
}

function connectionsFor(step: LoadStep): number {
  const { shape } = step;
  if (shape.kind === 'open') return connectionsForRate(shape.ratePerSecond);
  if (shape.kind === 'closed') return shape.concurrency;
  return shape.streams;
}

async function run(step: LoadStep): Promise<LoadResult> {
  const url = new URL(step.endpoint.url);
  if (url.hostname !== '127.0.0.1') throw new Error(`refusing a target off loopback: ${url.host}`);
  const connections = connectionsFor(step);
  const pool = new Pool(url.origin, {
    connections,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    keepAliveMaxTimeout: 60_000,
    connect: { timeout: 10_000 },
  });
  const request: PreparedRequest = {
    path: url.pathname,
    headers: { 'content-type': 'application/json', ...step.endpoint.headers },
    body: requestBodies(step.endpoint.api ?? 'chat-completions', step.endpoint.model, step.stream),
    stream: step.stream,
    api: step.endpoint.api ?? 'chat-completions',
    timeoutMs: step.requestTimeoutMs,
  };
  const counters: LiveCounters = { completed: 0, openStreams: 0, peakOpenStreams: 0 };
  const started = performance.now();
  const plannedSeconds =
    step.shape.kind === 'hold'
      ? step.shape.streams / step.shape.openRatePerSecond + step.durationSeconds
      : step.warmUpSeconds + step.durationSeconds;
  const reporter = setInterval(() => {
    const fraction = Math.min(1, (performance.now() - started) / 1000 / plannedSeconds);
    void send({
      type: 'progress',
      fraction,
      openStreams: counters.openStreams,
      completed: counters.completed,
    });
  }, 100);
  try {
    const { shape } = step;
    if (shape.kind === 'open') {
      return await runOpenLoop(pool, request, step, shape.ratePerSecond, connections, counters);
    }
    if (shape.kind === 'closed') return await runClosedLoop(pool, request, step, shape.concurrency, counters);
    return await runHold(pool, request, step, shape.streams, shape.openRatePerSecond, counters);
  } finally {
    clearInterval(reporter);
    await pool.destroy().catch(() => undefined);
  }
}

const encoded = process.env.BENCH_LOAD_STEP;
if (!encoded) throw new Error('BENCH_LOAD_STEP is not set');
try {
  const result = await run(JSON.parse(encoded) as LoadStep);
  await send({ type: 'result', result });
  process.exit(0);
} catch (error) {
  await send({ type: 'error', message: (error as Error).stack ?? String(error) });
  process.exit(1);
}
