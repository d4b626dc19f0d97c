import type { LoadResult } from '../load/load-types.ts';
import type { MachineFacts } from '../support/machine-facts.ts';
import type { MeteringCounters, TargetKey } from '../targets/target.ts';

/** Non-streaming JSON requests, or streams measured to their first body byte. */
export type RequestMode = 'json' | 'stream';

/** One measured step of one target. */
export interface StepRecord {
  target: TargetKey;
  targetName: string;
  mode: RequestMode;
  /** Offered requests per second, or null for the closed-loop max-throughput run. */
  offeredRate: number | null;
  result: LoadResult;
  /** Peak resident memory of the target's process during the step, in bytes. */
  peakResidentBytes: number;
  /** The platform's group commit during the step (warm-up included): INSERTs, records, seconds writing. */
  metering?: MeteringCounters;
}

/** The open-streams memory check on the platform. */
export interface HeldStreamsRecord {
  targetName: string;
  streamsRequested: number;
  openRatePerSecond: number;
  peakOpenStreams: number;
  failed: number;
  failures: Record<string, number>;
  /** Resident memory of the platform process at its peak during the check, in bytes. */
  peakResidentBytes: number;
  /** Resident memory before the streams were opened, in bytes. */
  baselineResidentBytes: number;
  streamSeconds: number;
}

/** What the profiler found for one load. */
export interface ProfileFinding {
  scenario: string;
  /** Markdown: the top self-time functions and areas. */
  summary: string;
  /** The flame graph, relative to bench/results. */
  flameGraphFile: string | null;
  profilePath: string;
}

/** One goal of the issue and whether this run met it. */
export interface GoalOutcome {
  goal: string;
  /** Which load a profile should look at when the goal is missed. */
  concerns: RequestMode | 'memory';
  measured: string;
  met: boolean | null;
}

/** Everything one benchmark run produced. */
export interface BenchmarkResults {
  startedAt: Date;
  finishedAt: Date;
  machine: MachineFacts;
  quick: boolean;
  steps: StepRecord[];
  /** The open-streams check, per platform store (embedded first). */
  heldStreams: HeldStreamsRecord[];
  goals: GoalOutcome[];
  profiles: ProfileFinding[];
  /** Facts about the setup printed with the results (durations, connections, versions). */
  notes: string[];
}
