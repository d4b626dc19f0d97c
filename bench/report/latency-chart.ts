import type { TargetKey } from '../targets/target.ts';
import type { RequestMode, StepRecord } from './benchmark-results.ts';
import { targetOrder } from './results-table.ts';

const colors: Record<TargetKey, string> = {
  direct: '#6b7280',
  bare: '#2563eb',
  platform: '#dc2626',
  'platform-postgres': '#f59e0b',
  portkey: '#16a34a',
};

const panelWidth = 460;
const panelHeight = 320;
const margin = { left: 60, right: 16, top: 36, bottom: 44 };

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** One panel: p50 (solid) and p99 (dashed) against offered rate, log-scaled latency. */
function panel(steps: StepRecord[], mode: RequestMode, offsetX: number): string {
  const rates = [
    ...new Set(steps.filter((step) => step.offeredRate !== null).map((step) => step.offeredRate ?? 0)),
  ].sort((left, right) => left - right);
  const values = steps
    .filter((step) => step.mode === mode && step.offeredRate !== null)
    .flatMap((step) => [step.result.latency.p50, step.result.latency.p99])
    .filter((value) => Number.isFinite(value) && value > 0);
  const lowest = 10 ** Math.floor(Math.log10(Math.min(...values, 1)));
  const highest = 10 ** Math.ceil(Math.log10(Math.max(...values, 1)));
  const plotWidth = panelWidth - margin.left - margin.right;
  const plotHeight = panelHeight - margin.top - margin.bottom;
  const x = (rate: number) =>
    offsetX +
    margin.left +
    (rates.length <= 1 ? plotWidth / 2 : (rates.indexOf(rate) / (rates.length - 1)) * plotWidth);
  const y = (milliseconds: number) =>
    margin.top +
    plotHeight -
    ((Math.log10(Math.max(milliseconds, lowest)) - Math.log10(lowest)) /
      (Math.log10(highest) - Math.log10(lowest))) *
      plotHeight;
  const parts: string[] = [];
  const title = mode === 'json' ? 'JSON: whole response' : 'SSE: time to first byte';
  parts.push(
    `<text x="${offsetX + margin.left}" y="20" font-size="14" font-weight="bold">${title}</text>`,
    `<rect x="${offsetX + margin.left}" y="${margin.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#d1d5db"/>`,
  );
  for (let decade = lowest; decade <= highest; decade *= 10) {
    const lineY = y(decade).toFixed(1);
    parts.push(
      `<line x1="${offsetX + margin.left}" x2="${offsetX + margin.left + plotWidth}" y1="${lineY}" y2="${lineY}" stroke="#e5e7eb"/>`,
      `<text x="${offsetX + margin.left - 6}" y="${lineY}" font-size="11" text-anchor="end" dominant-baseline="middle">${decade >= 1 ? decade : decade.toPrecision(1)} ms</text>`,
    );
  }
  for (const rate of rates) {
    parts.push(
      `<text x="${x(rate).toFixed(1)}" y="${margin.top + plotHeight + 16}" font-size="11" text-anchor="middle">${rate}</text>`,
    );
  }
  parts.push(
    `<text x="${offsetX + margin.left + plotWidth / 2}" y="${panelHeight - 8}" font-size="12" text-anchor="middle">offered rate (requests/s)</text>`,
  );
  for (const target of targetOrder) {
    const series = steps
      .filter((step) => step.mode === mode && step.target === target && step.offeredRate !== null)
      .sort((left, right) => (left.offeredRate ?? 0) - (right.offeredRate ?? 0));
    if (series.length === 0) continue;
    for (const [percentile, dash] of [
      ['p50', ''],
      ['p99', ' stroke-dasharray="5 4"'],
    ] as const) {
      const plotted = series.filter((step) => Number.isFinite(step.result.latency[percentile]));
      const points = plotted
        .map(
          (step) => `${x(step.offeredRate ?? 0).toFixed(1)},${y(step.result.latency[percentile]).toFixed(1)}`,
        )
        .join(' ');
      parts.push(
        `<polyline points="${points}" fill="none" stroke="${colors[target]}" stroke-width="2"${dash}>` +
          `<title>${escapeXml(`${series[0]?.targetName ?? target} ${percentile}`)}</title></polyline>`,
      );
      for (const step of plotted) {
        const failed = step.result.failed > 0;
        parts.push(
          `<circle cx="${x(step.offeredRate ?? 0).toFixed(1)}" cy="${y(step.result.latency[percentile]).toFixed(1)}" r="3" ` +
            `fill="${failed ? 'white' : colors[target]}" stroke="${colors[target]}">` +
            `<title>${escapeXml(`${step.targetName} ${step.offeredRate} req/s ${percentile}: ${step.result.latency[percentile].toFixed(3)} ms${failed ? `, ${step.result.failed} errors` : ''}`)}</title></circle>`,
        );
      }
    }
  }
  return parts.join('\n');
}

/**
 * A hand-written SVG of latency against offered rate: one panel for JSON, one for streaming time
 * to first byte; per target p50 solid and p99 dashed; hollow points had errors.
 */
export function latencyChartSvg(steps: StepRecord[], subtitle: string): string {
  const width = panelWidth * 2;
  const present = targetOrder.filter((target) => steps.some((step) => step.target === target));
  const legendY = panelHeight + 18;
  const legend = present
    .map((target, index) => {
      const name = steps.find((step) => step.target === target)?.targetName ?? target;
      const legendX = margin.left + index * 190;
      return (
        `<line x1="${legendX}" x2="${legendX + 24}" y1="${legendY}" y2="${legendY}" stroke="${colors[target]}" stroke-width="3"/>` +
        `<text x="${legendX + 30}" y="${legendY}" font-size="11" dominant-baseline="middle">${escapeXml(name)}</text>`
      );
    })
    .join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${panelHeight + 60}" viewBox="0 0 ${width} ${panelHeight + 60}" font-family="system-ui, sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    panel(steps, 'json', 0),
    panel(steps, 'stream', panelWidth),
    legend,
    `<text x="${margin.left}" y="${panelHeight + 44}" font-size="11" fill="#4b5563">${escapeXml(`solid p50, dashed p99; hollow points had errors. ${subtitle}`)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
