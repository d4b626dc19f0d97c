import { platformHotPath } from '../targets/platform.ts';
import type { BenchmarkResults, GoalOutcome } from './benchmark-results.ts';
import { loadLabel, markdownTable, modeLabel } from './results-table.ts';

function verdict(goal: GoalOutcome): string {
  if (goal.met === null) return 'not measured';
  return goal.met ? '**met**' : '**not met**';
}

/** The goals as a Markdown table. */
export function goalsMarkdown(goals: GoalOutcome[]): string {
  return [
    '| goal | measured | result |',
    '| --- | --- | --- |',
    ...goals.map((goal) => `| ${goal.goal} | ${goal.measured} | ${verdict(goal)} |`),
  ].join('\n');
}

/** The goals as plain lines, for the terminal. */
export function goalsText(goals: GoalOutcome[]): string {
  return goals
    .map(
      (goal) =>
        `${goal.met === null ? '  ?  ' : goal.met ? ' MET ' : ' MISS'}  ${goal.goal}: ${goal.measured}`,
    )
    .join('\n');
}

/** bench/results/latest.md: when and where, what was measured, the table, the goals, the profiles. */
export function resultsMarkdown(results: BenchmarkResults): string {
  const { machine } = results;
  const minutes = (results.finishedAt.getTime() - results.startedAt.getTime()) / 60_000;
  const held = results.heldStreams;
  const sections = [
    '# Gateway benchmark: latest results',
    '',
    `Measured ${results.startedAt.toISOString()} (${minutes.toFixed(1)} min${results.quick ? ', BENCH_QUICK=1: short steps, figures are rough' : ''}) ` +
      'with `npm run bench`.',
    '',
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGibibytes} GiB, ${machine.kernel}, Node ${machine.nodeVersion}. ` +
      'Every process (upstream, target, load generator) shares these cores, so the figures are for the whole ' +
      'set-up on one machine, not for a gateway alone.',
    '',
    '## What was measured',
    '',
    ...results.notes.map((note) => `- ${note}`),
    '',
    'Kimi Platform hot path in this run:',
    '',
    '| part | state |',
    '| --- | --- |',
    ...platformHotPath.map((entry) => `| ${entry.part} | ${entry.state} |`),
    '',
    '## Results',
    '',
    'Latency in milliseconds from each request’s scheduled start (open loop) or its send (closed loop): ' +
      'the whole response for JSON, the first body byte for SSE. Ratios are to the bare Node proxy (the floor) ' +
      'at the same load. Peak RSS is the target process’s (for the direct upstream: the upstream’s).',
    '',
    markdownTable(results.steps),
    '',
    '![latency against offered rate](latency.svg)',
    '',
    '## Goals',
    '',
    goalsMarkdown(results.goals),
    '',
  ];
  if (held.length > 0) {
    sections.push('## 1,000 open streams', '');
    for (const record of held) {
      sections.push(
        `${record.targetName}: ${record.streamsRequested} streams opened at ${record.openRatePerSecond} per second ` +
          `to a slow upstream model (${record.streamSeconds.toFixed(1)} s per stream), right after the load steps: ` +
          `${record.peakOpenStreams} open at once at the peak; process RSS ` +
          `${(record.baselineResidentBytes / 2 ** 20).toFixed(0)} MB before, ` +
          `${(record.peakResidentBytes / 2 ** 20).toFixed(0)} MB at the peak; ${record.failed} failed` +
          (record.failed > 0 ? ` (${JSON.stringify(record.failures)})` : '') +
          '.',
        '',
      );
    }
  }
  const metered = results.steps.filter((step) => step.metering && step.metering.batches > 0);
  if (metered.length > 0) {
    sections.push(
      '## Platform metering (group commit) per step',
      '',
      'From the platform’s own /metrics, read before and after each step (warm-up included): usage records, ' +
        'INSERT statements, records per INSERT and time per INSERT.',
      '',
      '| target | requests | load | records | INSERTs | records per INSERT | ms per INSERT |',
      '| --- | --- | --- | ---: | ---: | ---: | ---: |',
      ...metered.map((step) => {
        const metering = step.metering ?? { batches: 0, records: 0, writeSeconds: 0 };
        return (
          `| ${step.targetName} | ${modeLabel(step.mode)} | ${loadLabel(step)} | ${metering.records} | ` +
          `${metering.batches} | ${(metering.records / metering.batches).toFixed(2)} | ` +
          `${((metering.writeSeconds * 1000) / metering.batches).toFixed(2)} |`
        );
      }),
      '',
    );
  }
  if (results.profiles.length > 0) {
    sections.push(
      '## Profiles',
      '',
      'A fresh platform under `--cpu-prof`, profiled over the measured window only (not start-up or warm-up); ' +
        'shares are of the main thread’s busy time. What the profiles mean and the fixes they point to: ' +
        '[profile-findings.md](profile-findings.md).',
      '',
    );
    for (const profile of results.profiles) {
      sections.push(
        `### ${profile.scenario}`,
        '',
        profile.flameGraphFile ? `Flame graph: [${profile.flameGraphFile}](${profile.flameGraphFile}).` : '',
        '',
        profile.summary,
        '',
      );
    }
  }
  return `${sections
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
