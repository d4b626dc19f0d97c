import type { TargetKey } from '../targets/target.ts';
import type { GoalOutcome, HeldStreamsRecord, RequestMode, StepRecord } from './benchmark-results.ts';
import { formatMilliseconds } from './results-table.ts';

function find(
  steps: StepRecord[],
  target: TargetKey,
  mode: RequestMode,
  offeredRate: number | null,
): StepRecord | undefined {
  return steps.find(
    (step) => step.target === target && step.mode === mode && step.offeredRate === offeredRate,
  );
}

function rate(step: StepRecord | undefined): string {
  return step ? `${step.result.achievedRate.toFixed(0)} req/s` : 'not measured';
}

function unmeasured(goal: string, concerns: GoalOutcome['concerns']): GoalOutcome {
  return { goal, concerns, measured: 'not measured', met: null };
}

function throughputGoals(steps: StepRecord[], mode: RequestMode): GoalOutcome[] {
  const label = mode === 'json' ? 'JSON' : 'SSE';
  const platform = find(steps, 'platform', mode, null);
  const bare = find(steps, 'bare', mode, null);
  const portkey = find(steps, 'portkey', mode, null);
  const goals: GoalOutcome[] = [];
  const versusBare = `${label} max throughput ≥ 50% of the bare proxy's`;
  if (platform && bare) {
    const share = platform.result.achievedRate / bare.result.achievedRate;
    goals.push({
      goal: versusBare,
      concerns: mode,
      measured: `${rate(platform)} vs ${rate(bare)} = ${(share * 100).toFixed(0)}%`,
      met: share >= 0.5,
    });
  } else goals.push(unmeasured(versusBare, mode));
  const versusPortkey = `${label} max throughput ≥ 5× Portkey's`;
  if (platform && portkey) {
    const times = platform.result.achievedRate / portkey.result.achievedRate;
    goals.push({
      goal: versusPortkey,
      concerns: mode,
      measured: `${rate(platform)} vs ${rate(portkey)} = ${times.toFixed(2)}×`,
      met: times >= 5,
    });
  } else goals.push(unmeasured(versusPortkey, mode));
  return goals;
}

function latencyGoals(steps: StepRecord[]): GoalOutcome[] {
  const platform = find(steps, 'platform', 'json', 1000);
  const direct = find(steps, 'direct', 'json', 1000);
  const bare = find(steps, 'bare', 'json', 1000);
  const goals: GoalOutcome[] = [];
  const medianGoal = 'JSON at 1,000 req/s: p50 ≤ 0.4 ms above the direct upstream';
  if (platform && direct) {
    const above = platform.result.latency.p50 - direct.result.latency.p50;
    goals.push({
      goal: medianGoal,
      concerns: 'json',
      measured:
        `${formatMilliseconds(platform.result.latency.p50)} vs ${formatMilliseconds(direct.result.latency.p50)} ms ` +
        `= +${formatMilliseconds(above)} ms`,
      met: above <= 0.4,
    });
  } else goals.push(unmeasured(medianGoal, 'json'));
  const tailGoal = "JSON at 1,000 req/s: p99 ≤ 2× the bare proxy's p99";
  if (platform && bare) {
    const times = platform.result.latency.p99 / bare.result.latency.p99;
    goals.push({
      goal: tailGoal,
      concerns: 'json',
      measured:
        `${formatMilliseconds(platform.result.latency.p99)} vs ${formatMilliseconds(bare.result.latency.p99)} ms ` +
        `= ${times.toFixed(2)}×`,
      met: times <= 2,
    });
  } else goals.push(unmeasured(tailGoal, 'json'));
  const firstByteGoal = "SSE time to first byte at 1,000 req/s: p50 ≤ 0.5 ms above the bare proxy's";
  const platformStream = find(steps, 'platform', 'stream', 1000);
  const bareStream = find(steps, 'bare', 'stream', 1000);
  if (platformStream && bareStream) {
    const above = platformStream.result.latency.p50 - bareStream.result.latency.p50;
    goals.push({
      goal: firstByteGoal,
      concerns: 'stream',
      measured:
        `${formatMilliseconds(platformStream.result.latency.p50)} vs ` +
        `${formatMilliseconds(bareStream.result.latency.p50)} ms = +${formatMilliseconds(above)} ms`,
      met: above <= 0.5,
    });
  } else goals.push(unmeasured(firstByteGoal, 'stream'));
  return goals;
}

function memoryGoal(held: HeldStreamsRecord | undefined, store: string): GoalOutcome {
  const goal = `platform RSS ≤ 200 MB with 1,000 streams open at once (${store})`;
  if (!held) return unmeasured(goal, 'memory');
  const megabytes = held.peakResidentBytes / 2 ** 20;
  const allOpen = held.peakOpenStreams >= held.streamsRequested;
  const perStream =
    (held.peakResidentBytes - held.baselineResidentBytes) / Math.max(1, held.peakOpenStreams) / 1024;
  return {
    goal,
    concerns: 'memory',
    measured:
      `${megabytes.toFixed(0)} MB peak with ${held.peakOpenStreams} of ${held.streamsRequested} streams open ` +
      `(${(held.baselineResidentBytes / 2 ** 20).toFixed(0)} MB before: about ${perStream.toFixed(0)} KB per stream)` +
      (held.failed > 0 ? `; ${held.failed} streams failed` : ''),
    met: allOpen && held.failed === 0 ? megabytes <= 200 : false,
  };
}

/** Every goal of the issue, with the figures behind it and whether it was met. */
export function evaluateGoals(steps: StepRecord[], held: HeldStreamsRecord[]): GoalOutcome[] {
  const goals = [
    ...throughputGoals(steps, 'json'),
    ...throughputGoals(steps, 'stream'),
    ...latencyGoals(steps),
    memoryGoal(held[0], 'embedded store'),
  ];
  const onPostgres = held[1];
  if (onPostgres) goals.push(memoryGoal(onPostgres, 'PostgreSQL'));
  return goals;
}
