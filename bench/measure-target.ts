import { setTimeout as sleep } from 'node:timers/promises';
import { type BenchmarkPlan, stepSeconds } from './benchmark-plan.ts';
import type { LoadShape, LoadStep } from './load/load-types.ts';
import { runLoad } from './load/run-load.ts';
import type { RequestMode, StepRecord } from './report/benchmark-results.ts';
import { PeakMemorySampler } from './support/process-memory.ts';
import type { ProgressBar } from './support/progress-bar.ts';
import type { RunningTarget } from './targets/target.ts';

/** The load steps every target gets, per mode: each open-loop rate, then the closed loop. */
export function loadShapes(plan: BenchmarkPlan): LoadShape[] {
  return [
    ...plan.rates.map((ratePerSecond): LoadShape => ({ kind: 'open', ratePerSecond })),
    { kind: 'closed', concurrency: plan.closedLoopConcurrency },
  ];
}

/** Steps per target (both modes), for planning the progress bar. */
export function stepsPerTarget(plan: BenchmarkPlan): number {
  return loadShapes(plan).length * 2;
}

function describe(shape: LoadShape): string {
  if (shape.kind === 'open') return `${shape.ratePerSecond} req/s`;
  if (shape.kind === 'closed') return `max throughput (${shape.concurrency} clients)`;
  return `${shape.streams} open streams`;
}

/** Runs one step against a target, sampling the target's peak memory while it runs. */
export async function measureStep(
  plan: BenchmarkPlan,
  target: RunningTarget,
  mode: RequestMode,
  shape: LoadShape,
  progress: ProgressBar,
): Promise<StepRecord> {
  const label = `${target.name}: ${mode === 'json' ? 'JSON' : 'SSE'} ${describe(shape)}`;
  progress.begin(label);
  const step: LoadStep = {
    endpoint: target.endpoint,
    stream: mode === 'stream',
    shape,
    warmUpSeconds: plan.warmUpSeconds,
    durationSeconds: plan.durationSeconds,
    drainSeconds: plan.drainSeconds,
    requestTimeoutMs: plan.requestTimeoutMs,
  };
  const countersBefore = await target.readCounters?.();
  const sampler = new PeakMemorySampler(target.process.pid);
  let reported = 0;
  const result = await runLoad(step, ({ fraction }) => {
    const seconds = fraction * (plan.warmUpSeconds + plan.durationSeconds);
    progress.advance(seconds - reported);
    reported = seconds;
  });
  const peakResidentBytes = sampler.stop();
  const countersAfter = await target.readCounters?.();
  progress.advance(stepSeconds(plan) - reported);
  await sleep(plan.pauseSeconds * 1000);
  return {
    target: target.key,
    targetName: target.name,
    mode,
    offeredRate: shape.kind === 'open' ? shape.ratePerSecond : null,
    result,
    peakResidentBytes,
    ...(countersBefore && countersAfter
      ? {
          metering: {
            batches: countersAfter.batches - countersBefore.batches,
            records: countersAfter.records - countersBefore.records,
            writeSeconds: countersAfter.writeSeconds - countersBefore.writeSeconds,
          },
        }
      : {}),
  };
}

/** Every step for one target: JSON then streaming, each at every rate and then closed loop. */
export async function measureTarget(
  plan: BenchmarkPlan,
  target: RunningTarget,
  progress: ProgressBar,
): Promise<StepRecord[]> {
  const records: StepRecord[] = [];
  for (const mode of ['json', 'stream'] as const) {
    for (const shape of loadShapes(plan))
      records.push(await measureStep(plan, target, mode, shape, progress));
  }
  return records;
}
