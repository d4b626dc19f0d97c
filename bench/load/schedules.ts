import { hrtime } from 'node:process';
import { Worker } from 'node:worker_threads';
import type { Pool } from 'undici';
import type { LoadResult, LoadStep } from './load-types.ts';
import { Measurements } from './measurements.ts';
import { type PreparedRequest, sendRequest } from './send-request.ts';
import type { TimetableSettings } from './timetable-clock.ts';

const nanosecondsPerSecond = 1_000_000_000;
const clockUrl = new URL('./timetable-clock.ts', import.meta.url).href;

/** Starts the clock thread; workers do not inherit `--import tsx`, so it registers tsx itself first. */
function startClock(): Worker {
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(clockUrl)}); })`;
  return new Worker(bootstrap, { eval: true });
}

/** Live counters a schedule keeps, read by the progress reporter. */
export interface LiveCounters {
  completed: number;
  openStreams: number;
  peakOpenStreams: number;
}

/** Resolves when `outstanding()` reaches zero or after `seconds`, whichever comes first. */
function drain(outstanding: () => number, seconds: number): Promise<void> {
  const deadline = performance.now() + seconds * 1000;
  return new Promise((resolve) => {
    const check = () => {
      if (outstanding() === 0 || performance.now() >= deadline) resolve();
      else setTimeout(check, 5);
    };
    check();
  });
}

/**
 * Sends `total` requests on a fixed timetable (`rate` per second), measuring those from index
 * `firstMeasured` on from their scheduled start. A clock thread wakes this one when requests fall
 * due, and every request already due is sent at once, so any lateness shows as latency.
 */
async function runTimetable(
  pool: Pool,
  request: PreparedRequest,
  options: { rate: number; total: number; firstMeasured: number; drainSeconds: number },
  measurements: Measurements,
  counters: LiveCounters,
): Promise<{ windowStart: bigint; windowEnd: bigint }> {
  const intervalNanoseconds = nanosecondsPerSecond / options.rate;
  const clock = startClock();
  await new Promise<void>((resolve, reject) => {
    clock.once('message', () => resolve());
    clock.once('error', reject);
  });
  const startAt = hrtime.bigint() + 2_000_000n;
  const dueAt = (index: number) => startAt + BigInt(Math.round(index * intervalNanoseconds));
  let outstanding = 0;
  const send = (due: bigint, measured: boolean) => {
    const sentAt = hrtime.bigint();
    let opened = false;
    outstanding++;
    const onFirstByte = () => {
      opened = true;
      counters.openStreams++;
      if (counters.openStreams > counters.peakOpenStreams) counters.peakOpenStreams = counters.openStreams;
    };
    void sendRequest(pool, request, { onFirstByte }).then((outcome) => {
      outstanding--;
      counters.completed++;
      if (opened) counters.openStreams--;
      if (measured) measurements.record(due, sentAt, outcome);
    });
  };
  let next = 0;
  await new Promise<void>((resolve, reject) => {
    clock.on('message', (message: number | 'done') => {
      if (message === 'done') {
        resolve();
        return;
      }
      for (; next <= message; next++) send(dueAt(next), next >= options.firstMeasured);
    });
    clock.once('error', reject);
    const settings: TimetableSettings = {
      startAt: String(startAt),
      intervalNanoseconds,
      total: options.total,
    };
    clock.postMessage(settings);
  });
  await clock.terminate();
  const windowEnd = startAt + BigInt(Math.round(options.total * intervalNanoseconds));
  await drain(() => outstanding, options.drainSeconds);
  if (outstanding > 0) {
    // Past the bound: what is still out fails as unfinished, so a step always ends on time.
    await pool.destroy();
    await drain(() => outstanding, 5);
  }
  return { windowStart: dueAt(options.firstMeasured), windowEnd };
}

/** Open loop: a fixed rate for warm-up plus duration; latency from each request's scheduled start. */
export async function runOpenLoop(
  pool: Pool,
  request: PreparedRequest,
  step: LoadStep,
  rate: number,
  connections: number,
  counters: LiveCounters,
): Promise<LoadResult> {
  const measurements = new Measurements(step.stream);
  const window = await runTimetable(
    pool,
    request,
    {
      rate,
      total: Math.round(rate * (step.warmUpSeconds + step.durationSeconds)),
      firstMeasured: Math.round(rate * step.warmUpSeconds),
      drainSeconds: step.drainSeconds,
    },
    measurements,
    counters,
  );
  return measurements.result({ offeredRate: rate, ...window, connections });
}

/** Hold: opens `streams` streams at `openRate` per second and waits for them all to end. */
export async function runHold(
  pool: Pool,
  request: PreparedRequest,
  step: LoadStep,
  streams: number,
  openRate: number,
  counters: LiveCounters,
): Promise<LoadResult> {
  const measurements = new Measurements(true);
  const window = await runTimetable(
    pool,
    request,
    {
      rate: openRate,
      total: streams,
      firstMeasured: 0,
      drainSeconds: step.durationSeconds + step.drainSeconds,
    },
    measurements,
    counters,
  );
  return measurements.result({
    offeredRate: null,
    ...window,
    connections: streams,
    peakOpenStreams: counters.peakOpenStreams,
  });
}

/** Closed loop: `concurrency` clients, each sending its next request as soon as the last one ends. */
export async function runClosedLoop(
  pool: Pool,
  request: PreparedRequest,
  step: LoadStep,
  concurrency: number,
  counters: LiveCounters,
): Promise<LoadResult> {
  const measurements = new Measurements(step.stream);
  const startAt = hrtime.bigint();
  const measureFrom = startAt + BigInt(Math.round(step.warmUpSeconds * nanosecondsPerSecond));
  const endAt = measureFrom + BigInt(Math.round(step.durationSeconds * nanosecondsPerSecond));
  let outstanding = 0;
  const client = async () => {
    while (hrtime.bigint() < endAt) {
      const sentAt = hrtime.bigint();
      outstanding++;
      const outcome = await sendRequest(pool, request);
      outstanding--;
      counters.completed++;
      if (sentAt >= measureFrom) measurements.record(sentAt, sentAt, outcome);
    }
  };
  const clients = Array.from({ length: concurrency }, client);
  const finished = Promise.all(clients);
  const totalSeconds = step.warmUpSeconds + step.durationSeconds + step.drainSeconds;
  await Promise.race([finished, drain(() => (hrtime.bigint() >= endAt ? outstanding : 1), totalSeconds)]);
  if (outstanding > 0) await pool.destroy();
  await finished;
  return measurements.result({
    offeredRate: null,
    windowStart: measureFrom,
    windowEnd: endAt,
    connections: concurrency,
  });
}
