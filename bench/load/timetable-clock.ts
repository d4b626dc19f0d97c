/**
 * A worker thread that keeps the open-loop timetable: it sleeps precisely (Atomics.wait, a futex
 * with sub-millisecond timeouts, no busy loop) until each request is due and posts its index to the
 * main thread, which sends it. Node timers only fire on whole milliseconds, which would make every
 * request up to a millisecond late and blur sub-millisecond differences between targets.
 *
 * Protocol: posts `ready` once loaded; then takes one TimetableSettings message, posts the highest
 * index due so far each time it wakes (the main thread sends every index up to it), and `done`.
 */
import { hrtime } from 'node:process';
import { parentPort } from 'node:worker_threads';

/** The timetable: request `index` is due at startAt + index × intervalNanoseconds. */
export interface TimetableSettings {
  /** process.hrtime.bigint() as a string (bigints do not cross threads as numbers). */
  startAt: string;
  intervalNanoseconds: number;
  total: number;
}

function keepTimetable(settings: TimetableSettings): void {
  const startAt = BigInt(settings.startAt);
  const dueAt = (index: number) => startAt + BigInt(Math.round(index * settings.intervalNanoseconds));
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (let index = 0; index < settings.total; index++) {
    const waitNanoseconds = dueAt(index) - hrtime.bigint();
    if (waitNanoseconds > 0n) Atomics.wait(sleeper, 0, 0, Number(waitNanoseconds) / 1e6);
    // Requests that fell due while we slept are posted together, as one highest index.
    const now = hrtime.bigint();
    while (index + 1 < settings.total && dueAt(index + 1) <= now) index++;
    parentPort?.postMessage(index);
  }
  parentPort?.postMessage('done');
}

parentPort?.once('message', (settings: TimetableSettings) => keepTimetable(settings));
parentPort?.postMessage('ready');
