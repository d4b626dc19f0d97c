import { type Command, Option } from 'commander';
import type { ActionBinder } from '../command-kit.ts';
import type { CommandContext } from '../context.ts';
import type { UsageAnswer, UsageQuery, UsageRowAnswer } from '../kimi-client.ts';
import { daysBetween, formatCount, formatUsd, renderTable, sparkline } from '../output/index.ts';

interface UsageOptions {
  from?: string;
  to?: string;
  groupBy: 'model' | 'key' | 'team' | 'day';
}

/** The daily series over the report's whole window, zero on days without records. */
export function dailySeries(report: Pick<UsageAnswer, 'from' | 'to' | 'data'>) {
  const byDay = new Map(report.data.map((row) => [row.group, row]));
  // why minus 1 ms: `to` is exclusive, so a window ending at midnight does not show the next day.
  const days = daysBetween(new Date(report.from), new Date(new Date(report.to).getTime() - 1));
  return days.map((day) => ({
    day,
    requests: byDay.get(day)?.requests ?? 0,
    cost: Number(byDay.get(day)?.cost_usd ?? 0),
  }));
}

function usageTable(rows: readonly UsageRowAnswer[], groupHeader: string): string {
  return renderTable(rows, [
    { header: groupHeader, value: (row) => row.group },
    { header: 'requests', value: (row) => formatCount(row.requests), align: 'right' },
    { header: 'failed', value: (row) => formatCount(row.failed_requests), align: 'right' },
    { header: 'prompt', value: (row) => formatCount(row.prompt_tokens), align: 'right' },
    { header: 'completion', value: (row) => formatCount(row.completion_tokens), align: 'right' },
    { header: 'cached', value: (row) => formatCount(row.cached_tokens), align: 'right' },
    { header: 'cost', value: (row) => formatUsd(row.cost_usd), align: 'right' },
  ]);
}

async function showUsage(context: CommandContext, _args: unknown[], options: UsageOptions): Promise<void> {
  const client = await context.client();
  const query: UsageQuery = {
    ...(options.from ? { from: options.from } : {}),
    ...(options.to ? { to: options.to } : {}),
    group_by: options.groupBy,
  };
  const report = await client.usage.get(query);
  context.printJson(report);
  if (context.json) return;
  const daily = options.groupBy === 'day' ? report : await client.usage.get({ ...query, group_by: 'day' });
  const series = dailySeries(daily);
  context.print(`usage ${report.from.slice(0, 10)} – ${report.to.slice(0, 10)} by ${report.group_by}\n`);
  context.print(
    usageTable(
      [...report.data, { group: 'total', ...report.totals }],
      options.groupBy === 'day' ? 'day' : report.group_by,
    ),
  );
  if (series.length > 0) {
    const first = series[0]!.day;
    const last = series[series.length - 1]!.day;
    context.print(`\nper day ${first} … ${last}`);
    context.print(
      `requests  ${sparkline(series.map((point) => point.requests))}  max ${Math.max(...series.map((point) => point.requests))}`,
    );
    context.print(
      `cost      ${sparkline(series.map((point) => point.cost))}  max ${formatUsd(Math.max(...series.map((point) => point.cost)))}`,
    );
  }
}

/** `kimi usage`: a table by model/key/team/day and a sparkline per day. */
export function registerUsageCommand(program: Command, bind: ActionBinder): void {
  program
    .command('usage')
    .description("The organisation's usage: a table, and a sparkline per day.")
    .option('--from <date>', 'start (ISO date or time, inclusive; default: 30 days ago)')
    .option('--to <date>', 'end (ISO date or time, exclusive; default: now)')
    .addOption(
      new Option('-g, --group-by <group>', 'rows per model, key, team or day')
        .choices(['model', 'key', 'team', 'day'])
        .default('model'),
    )
    .action(bind(showUsage));
}
