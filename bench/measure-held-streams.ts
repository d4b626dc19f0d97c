import { type BenchmarkPlan, slowStreamSeconds } from './benchmark-plan.ts';
import type { LoadStep } from './load/load-types.ts';
import { runLoad } from './load/run-load.ts';
import type { HeldStreamsRecord } from './report/benchmark-results.ts';
import { PeakMemorySampler, readResidentMemory } from './support/process-memory.ts';
import type { ProgressBar } from './support/progress-bar.ts';
import { upstreamProviderName } from './targets/platform.ts';
import { type RunningTarget, slowUpstreamModel } from './targets/target.ts';

/** Planned seconds of the check, for the progress bar. */
export function heldStreamsSeconds(plan: BenchmarkPlan): number {
  return plan.heldStreams / plan.heldStreamsOpenRate + slowStreamSeconds(plan) + 1;
}

/**
 * Opens `plan.heldStreams` streams on the platform to the upstream's slow model (one frame every
 * `plan.slowFrameMs`), so they are all open at once, and samples the platform process's resident
 * memory until they end. Runs on the platform process that has just been measured, as a server
 * that has been busy for a while would be.
 */
export async function measureHeldStreams(
  plan: BenchmarkPlan,
  platform: RunningTarget,
  progress: ProgressBar,
): Promise<HeldStreamsRecord> {
  progress.begin(`${platform.name}: ${plan.heldStreams} open streams, resident memory`);
  const streamSeconds = slowStreamSeconds(plan);
  const step: LoadStep = {
    endpoint: { ...platform.endpoint, model: `${upstreamProviderName}/${slowUpstreamModel}` },
    stream: true,
    shape: { kind: 'hold', streams: plan.heldStreams, openRatePerSecond: plan.heldStreamsOpenRate },
    warmUpSeconds: 0,
    durationSeconds: streamSeconds + 1,
    drainSeconds: 5,
    requestTimeoutMs: plan.requestTimeoutMs,
  };
  const baselineResidentBytes = readResidentMemory(platform.process.pid)?.residentBytes ?? 0;
  const sampler = new PeakMemorySampler(platform.process.pid, 50);
  const planned = heldStreamsSeconds(plan);
  let reported = 0;
  const result = await runLoad(step, ({ fraction, openStreams }) => {
    progress.advance(fraction * planned - reported);
    reported = fraction * planned;
    progress.draw(`(${openStreams} open, ${(sampler.peakBytes / 2 ** 20).toFixed(0)} MB peak)`);
  });
  const peakResidentBytes = sampler.stop();
  progress.advance(planned - reported);
  return {
    targetName: platform.name,
    streamsRequested: plan.heldStreams,
    openRatePerSecond: plan.heldStreamsOpenRate,
    peakOpenStreams: result.peakOpenStreams,
    failed: result.failed,
    failures: result.failures,
    peakResidentBytes,
    baselineResidentBytes,
    streamSeconds,
  };
}
