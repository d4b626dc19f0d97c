import type { Clock } from '../../support/index.ts';

/** A clock tests move by hand; `sleep` advances it instead of waiting. */
export interface ManualClock extends Clock {
  advance(milliseconds: number): void;
  set(epochMilliseconds: number): void;
}

/** Creates a {@link ManualClock} standing at `start` (epoch ms). */
export function createManualClock(start: number): ManualClock {
  let time = start;
  return {
    now: () => time,
    async sleep(milliseconds) {
      time += milliseconds;
    },
    advance(milliseconds) {
      time += milliseconds;
    },
    set(epochMilliseconds) {
      time = epochMilliseconds;
    },
  };
}
