import type { LoadEndpoint } from '../load/load-types.ts';
import type { StartedProcess } from '../support/child-processes.ts';

/** The targets, in the order they run and print; `bare` is the floor every ratio is taken to. */
export type TargetKey = 'direct' | 'bare' | 'platform' | 'platform-postgres' | 'portkey';

/** A server under load: where to send requests, and the process whose memory is reported. */
export interface RunningTarget {
  key: TargetKey;
  name: string;
  endpoint: LoadEndpoint;
  process: StartedProcess;
  /** Stops what this target started (not the shared upstream). */
  stop(): Promise<void>;
  /** Cumulative counters the target exposes (the platform's metering), read before and after each step. */
  readCounters?(): Promise<MeteringCounters>;
}

/** The platform's group-commit counters, from its /metrics. */
export interface MeteringCounters {
  batches: number;
  records: number;
  writeSeconds: number;
}

/** The upstream's model name as the peers see it; the platform prefixes its provider name. */
export const upstreamModel = 'bench-model';
/** A model whose streams the upstream sends slowly, for holding many streams open. */
export const slowUpstreamModel = 'bench-model-slow';
