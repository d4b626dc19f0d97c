import type { StepKind, SwarmRunStatus } from '../swarm-types.ts';

/** Told of each run and step that ends, for metrics; called after the row says so. */
export interface SwarmObserver {
  /** A run reached a final status, `seconds` after it was created. */
  runEnded(status: SwarmRunStatus, seconds: number): void;
  /** A step got its result (`completed`) or failed for good, `seconds` after it started. */
  stepEnded(kind: StepKind, outcome: 'completed' | 'failed', seconds: number): void;
}

/** Seconds from `start` to `end`, never negative (clocks of two processes may disagree). */
export function secondsBetween(start: Date, end: Date): number {
  return Math.max(0, (end.getTime() - start.getTime()) / 1000);
}
