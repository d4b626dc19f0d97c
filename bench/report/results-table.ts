import type { TargetKey } from '../targets/target.ts';
import type { RequestMode, StepRecord } from './benchmark-results.ts';

/** The order targets print in; ratios are to `bare`, the floor. */
export const targetOrder: TargetKey[] = ['direct', 'bare', 'platform', 'platform-postgres', 'portkey'];

const headers = [
  'requests',
  'load',
  'target',
  'p50 ms',
  'p90 ms',
  'p99 ms',
  'achieved req/s',
  'errors',
  'peak RSS MB',
  'p50 ÷ floor',
  'p99 ÷ floor',
  'req/s ÷ floor',
];

/** A latency in milliseconds with sub-millisecond resolution where it is small. */
export function formatMilliseconds(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (value < 10) return value.toFixed(3);
  if (value < 100) return value.toFixed(1);
  return value.toFixed(0);
}

function ratio(value: number, floor: number | undefined): string {
  if (floor === undefined || !Number.isFinite(value) || !Number.isFinite(floor) || floor === 0) return '—';
  return `${(value / floor).toFixed(2)}×`;
}

function describeErrors(step: StepRecord): string {
  const { failed, failures } = step.result;
  if (failed === 0) return '0';
  const [kind] = Object.entries(failures).sort((left, right) => right[1] - left[1])[0] ?? ['?'];
  return `${failed} (${kind})`;
}

/** `JSON` or `SSE (TTFB)`: what the latency of a row measures. */
export function modeLabel(mode: RequestMode): string {
  return mode === 'json' ? 'JSON' : 'SSE (TTFB)';
}

/** `200 req/s` or `max (closed, 32)`. */
export function loadLabel(step: StepRecord): string {
  return step.offeredRate === null
    ? `max (closed loop, ${step.result.connections})`
    : `${step.offeredRate} req/s`;
}

/** The same load on the floor (the bare proxy), for ratios. */
export function floorOf(steps: StepRecord[], step: StepRecord): StepRecord | undefined {
  return steps.find(
    (candidate) =>
      candidate.target === 'bare' &&
      candidate.mode === step.mode &&
      candidate.offeredRate === step.offeredRate,
  );
}

/** Rows grouped by mode and load, targets side by side, each with its ratios to the floor. */
export function tableRows(steps: StepRecord[]): string[][] {
  const loads = [...new Set(steps.map((step) => step.offeredRate))].sort(
    (left, right) => (left ?? Number.POSITIVE_INFINITY) - (right ?? Number.POSITIVE_INFINITY),
  );
  const rows: string[][] = [];
  for (const mode of ['json', 'stream'] as const) {
    for (const load of loads) {
      for (const target of targetOrder) {
        const step = steps.find(
          (candidate) =>
            candidate.mode === mode && candidate.offeredRate === load && candidate.target === target,
        );
        if (!step) continue;
        const floor = floorOf(steps, step);
        const { latency, achievedRate } = step.result;
        rows.push([
          modeLabel(mode),
          loadLabel(step),
          step.targetName,
          formatMilliseconds(latency.p50),
          formatMilliseconds(latency.p90),
          formatMilliseconds(latency.p99),
          achievedRate.toFixed(0),
          describeErrors(step),
          (step.peakResidentBytes / 2 ** 20).toFixed(0),
          ratio(latency.p50, floor?.result.latency.p50),
          ratio(latency.p99, floor?.result.latency.p99),
          ratio(achievedRate, floor?.result.achievedRate),
        ]);
      }
    }
  }
  return rows;
}

/** The table as aligned text, for the terminal. */
export function textTable(steps: StepRecord[]): string {
  const rows = [headers, ...tableRows(steps)];
  const widths = headers.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const numeric = (column: number) => column >= 3;
  const line = (row: string[]) =>
    row
      .map((cell, column) =>
        numeric(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ');
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(headers), rule, ...rows.slice(1).map(line)].join('\n');
}

/** The table as Markdown. */
export function markdownTable(steps: StepRecord[]): string {
  const alignment = headers.map((_, column) => (column >= 3 ? '---:' : '---'));
  return [headers, alignment, ...tableRows(steps)].map((row) => `| ${row.join(' | ')} |`).join('\n');
}
