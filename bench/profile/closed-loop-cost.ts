/**
 * One closed-loop step against a target, measured as the hot-path comparisons read it: throughput,
 * the target's CPU milliseconds per request (steadier than throughput on a shared machine) and
 * its peak resident memory. Shared by compare-cost.ts and compare-tracing.ts.
 */
import type { LoadStep } from '../load/load-types.ts';
import { runLoad } from '../load/run-load.ts';
import { readProcessCpuMilliseconds } from '../support/process-cpu.ts';
import { PeakMemorySampler } from '../support/process-memory.ts';
import type { RunningTarget } from '../targets/target.ts';

export interface CostSample {
  target: string;
  mode: 'json' | 'stream';
  rate: number;
  cpuPerRequest: number;
  peakMegabytes: number;
  failed: number;
}

/** Runs `seconds` of closed-loop load with `concurrency` clients and reads the target's CPU around it. */
export async function measureCost(
  target: RunningTarget,
  stream: boolean,
  load: { seconds: number; concurrency: number },
): Promise<CostSample> {
  const step: LoadStep = {
    endpoint: target.endpoint,
    stream,
    shape: { kind: 'closed', concurrency: load.concurrency },
    warmUpSeconds: 0.5,
    durationSeconds: load.seconds,
    drainSeconds: 2,
    requestTimeoutMs: 10_000,
  };
  const sampler = new PeakMemorySampler(target.process.pid);
  const cpuBefore = readProcessCpuMilliseconds(target.process.pid) ?? 0;
  const result = await runLoad(step);
  const cpuAfter = readProcessCpuMilliseconds(target.process.pid) ?? 0;
  const peak = sampler.stop();
  // why: CPU is read around the whole step (warm-up and drain too), so divide by every request sent.
  const requests = result.achievedRate * (load.seconds + 0.5);
  return {
    target: target.name,
    mode: stream ? 'stream' : 'json',
    rate: result.achievedRate,
    cpuPerRequest: requests > 0 ? (cpuAfter - cpuBefore) / requests : Number.NaN,
    peakMegabytes: peak / 2 ** 20,
    failed: result.failed,
  };
}

/** The middle value (the upper middle of an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/**
 * `rounds` rounds, each a JSON step then an SSE step on every target in turn (so a slow moment of
 * the machine falls on all of them), printing each sample as `describe` writes it.
 */
export async function measureRounds(
  targets: readonly RunningTarget[],
  load: { rounds: number; seconds: number; concurrency: number },
  describe: (sample: CostSample) => string,
): Promise<CostSample[]> {
  const samples: CostSample[] = [];
  for (let round = 0; round < load.rounds; round++) {
    for (const stream of [false, true]) {
      for (const target of targets) {
        const sample = await measureCost(target, stream, load);
        samples.push(sample);
        process.stdout.write(`round ${round + 1} ${sample.mode.padEnd(6)} ${describe(sample)}\n`);
      }
    }
  }
  return samples;
}
