/**
 * What one `npm run bench` does and how long each part runs: the full plan (about 7 minutes on
 * 2 cores) or, with BENCH_QUICK=1, a short one (about 2 minutes) with the same steps.
 */
export interface BenchmarkPlan {
  quick: boolean;
  /** Open-loop rates, requests per second. */
  rates: number[];
  warmUpSeconds: number;
  durationSeconds: number;
  /** After the last scheduled request, how long stragglers may take before they count as errors. */
  drainSeconds: number;
  requestTimeoutMs: number;
  /** Clients of the closed-loop (max throughput) run, each with its own connection. */
  closedLoopConcurrency: number;
  /** Pause between steps, so one step's leftovers do not land in the next. */
  pauseSeconds: number;
  /** The open-streams memory check: streams held open at once, and how fast they are opened. */
  heldStreams: number;
  heldStreamsOpenRate: number;
  /** Time between frames of the slow upstream streams, and the frames each has (23). */
  slowFrameMs: number;
  /** Profile the platform where a goal is not met (BENCH_PROFILE=1 forces it, 0 turns it off). */
  profile: 'when-goal-missed' | 'always' | 'never';
  profileSeconds: number;
  /** Also run the platform on PostgreSQL (a scratch database beside this URL). */
  postgresUrl: string | undefined;
  /** With postgresUrl: limits and cache on this Redis (a database index the run may empty). */
  redisUrl: string | undefined;
}

const slowStreamFrames = 23;

/** The plan from the environment: BENCH_QUICK, BENCH_PROFILE, BENCH_POSTGRES_URL, BENCH_REDIS_URL. */
export function benchmarkPlan(environment: NodeJS.ProcessEnv = process.env): BenchmarkPlan {
  const quick = environment.BENCH_QUICK === '1';
  const profileSetting = environment.BENCH_PROFILE;
  return {
    quick,
    rates: [200, 500, 1000, 2000],
    warmUpSeconds: quick ? 0.5 : 1,
    durationSeconds: quick ? 1.5 : 6,
    drainSeconds: quick ? 1.5 : 4,
    requestTimeoutMs: 10_000,
    closedLoopConcurrency: 32,
    pauseSeconds: quick ? 0.2 : 0.5,
    heldStreams: 1000,
    heldStreamsOpenRate: 500,
    slowFrameMs: quick ? 300 : 500,
    profile:
      profileSetting === '1'
        ? 'always'
        : profileSetting === '0'
          ? 'never'
          : quick
            ? 'never'
            : 'when-goal-missed',
    profileSeconds: quick ? 4 : 8,
    postgresUrl: environment.BENCH_POSTGRES_URL || undefined,
    redisUrl: environment.BENCH_REDIS_URL || undefined,
  };
}

/** Seconds a slow stream of the open-streams check lasts. */
export function slowStreamSeconds(plan: BenchmarkPlan): number {
  return (slowStreamFrames * plan.slowFrameMs) / 1000;
}

/** Planned seconds of one load step (the progress bar's unit). */
export function stepSeconds(plan: BenchmarkPlan): number {
  return plan.warmUpSeconds + plan.durationSeconds + plan.pauseSeconds;
}
