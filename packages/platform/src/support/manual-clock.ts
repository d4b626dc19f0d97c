import type { Clock } from './clock.ts';

/** A clock that moves only when told to; test support for suites that control time. */
export interface ManualClock extends Clock {
  advance(milliseconds: number): void;
}

/** Starts at `start` epoch ms; `sleep` advances the clock instead of waiting. */
export function createManualClock(start = 1_700_000_000_000): ManualClock {
  let time = start;
  return {
    now: () => time,
    async sleep(milliseconds, signal) {
      if (signal?.aborted) throw signal.reason;
      time += milliseconds;
    },
    advance(milliseconds) {
      time += milliseconds;
    },
  };
}
