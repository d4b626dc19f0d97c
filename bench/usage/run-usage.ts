/**
 * `npm run bench:usage`: loads `--records` (default 10,000,000) synthetic usage records into a
 * scratch PostgreSQL database beside TEST_DATABASE_URL (loopback only), then times GET /v1/usage's
 * query for the heavy organisation over 90 days, per day, model, key and team: BEFORE (the
 * aggregate over the raw records, as the query was before rollups) and AFTER (the hourly rollups,
 * with the partial hours of an unaligned range read from the records). Each AFTER answer is
 * compared with the BEFORE one. Writes bench/results/usage.md and drops the scratch database.
 * Bounded: at most `--minutes` (default 60) minutes, then it stops and cleans up.
 */
import { writeFile } from 'node:fs/promises';
import {
  ensureUsagePartitions,
  queryUsage,
  queryUsageFromRecords,
  type UsageAggregate,
  type UsageGrouping,
} from '../../packages/platform/src/metering/index.ts';
import {
  createPostgresDatabase,
  type Database,
  migrateDatabase,
  openDatabase,
} from '../../packages/platform/src/storage/db/index.ts';
import { installCleanup } from '../support/cleanup.ts';
import { machineFacts } from '../support/machine-facts.ts';
import { percentile } from '../support/percentiles.ts';
import { withScratchDatabase } from '../support/scratch-database.ts';
import { heavyOrganization, insertChunkSql, synthetic } from './synthetic-usage.ts';
import { measureWriteCost, type WriteCost } from './write-cost.ts';

const dayMs = 86_400_000;
const resultsPath = new URL('../results/usage.md', import.meta.url);
const groupings: UsageGrouping[] = ['day', 'model', 'key', 'team'];

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive whole number`);
  return value;
}

function progress(line: string): void {
  process.stderr.write(`[bench:usage ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

interface Timing {
  p50: number;
  p95: number;
  runs: number;
  rows: UsageAggregate[];
}

async function timeQuery(runs: number, query: () => Promise<UsageAggregate[]>): Promise<Timing> {
  let rows = await query();
  const durations: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    rows = await query();
    durations.push(performance.now() - started);
  }
  const sorted = Float64Array.from(durations).sort();
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), runs, rows };
}

interface Measurement {
  grouping: UsageGrouping;
  range: string;
  before: Timing;
  after: Timing;
  identical: boolean;
}

interface Load {
  records: number;
  loadSeconds: number;
  analyzeSeconds: number;
  rollupRows: { hourly: number; daily: number };
  heavyRecordsInRange: number;
  sizes: { records: string; hourly: string; daily: string };
}

async function load(database: Database, records: number, end: Date, days: number): Promise<Load> {
  await ensureUsagePartitions(database, new Date(end.getTime() - days * dayMs), Math.ceil(days / 28) + 1);
  const chunk = 500_000;
  const started = performance.now();
  for (let first = 1; first <= records; first += chunk) {
    const last = Math.min(records, first + chunk - 1);
    await database.query(insertChunkSql, [first, last, end, days]);
    const seconds = (performance.now() - started) / 1000;
    progress(
      `loaded ${last.toLocaleString('en')} of ${records.toLocaleString('en')} records (${seconds.toFixed(0)} s)`,
    );
  }
  const loadSeconds = (performance.now() - started) / 1000;
  const analyzeStarted = performance.now();
  await database.query('VACUUM ANALYZE usage_records');
  await database.query('VACUUM ANALYZE usage_rollups_hourly');
  const analyzeSeconds = (performance.now() - analyzeStarted) / 1000;
  const counts = await database.query<{
    hourly: number;
    daily: number;
    heavy: number;
    records_size: string;
    hourly_size: string;
    daily_size: string;
  }>(
    `SELECT (SELECT count(*) FROM usage_rollups_hourly)::int8 AS hourly,
            (SELECT count(*) FROM usage_rollups_daily)::int8 AS daily,
            (SELECT count(*) FROM usage_records WHERE organization_id = $1 AND created_at >= $2)::int8 AS heavy,
            pg_size_pretty((SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits
                             WHERE inhparent = 'usage_records'::regclass)::int8) AS records_size,
            pg_size_pretty(pg_total_relation_size('usage_rollups_hourly')) AS hourly_size,
            pg_size_pretty(pg_total_relation_size('usage_rollups_daily')) AS daily_size`,
    [heavyOrganization, new Date(end.getTime() - 90 * dayMs)],
  );
  const row = counts.rows[0];
  return {
    records,
    loadSeconds,
    analyzeSeconds,
    rollupRows: { hourly: row?.hourly ?? 0, daily: row?.daily ?? 0 },
    heavyRecordsInRange: row?.heavy ?? 0,
    sizes: {
      records: row?.records_size ?? '?',
      hourly: row?.hourly_size ?? '?',
      daily: row?.daily_size ?? '?',
    },
  };
}

async function measure(database: Database, end: Date, runs: { before: number; after: number }) {
  const scoped = database.forOrganization(heavyOrganization);
  // why an unaligned range too: GET /v1/usage's default `to` is now, which is rarely on the hour.
  const ranges = [
    { name: '90 days, whole hours', from: new Date(end.getTime() - 90 * dayMs), to: end },
    {
      name: '90 days, unaligned ends',
      from: new Date(end.getTime() - 90 * dayMs - 1_234_567),
      to: new Date(end.getTime() - 2_345_678),
    },
  ];
  const measurements: Measurement[] = [];
  for (const range of ranges) {
    for (const grouping of groupings) {
      const query = { organizationId: heavyOrganization, from: range.from, to: range.to, groupBy: grouping };
      progress(`timing ${grouping}, ${range.name}`);
      const before = await timeQuery(runs.before, () => queryUsageFromRecords(scoped, query));
      const after = await timeQuery(runs.after, () => queryUsage(scoped, query));
      const identical = JSON.stringify(before.rows) === JSON.stringify(after.rows);
      measurements.push({ grouping, range: range.name, before, after, identical });
      progress(
        `  before p50 ${before.p50.toFixed(1)} ms p95 ${before.p95.toFixed(1)} ms; after p50 ${after.p50.toFixed(1)} ms p95 ${after.p95.toFixed(1)} ms; identical: ${identical}`,
      );
    }
  }
  return measurements;
}

const writeCostOptions = { batchRecords: 100, batches: 20, rounds: 3 };

/** The same write cost on embedded PGlite (in memory), where every statement runs on the event loop. */
async function embeddedWriteCost(): Promise<WriteCost> {
  const database = await openDatabase({ dataDirectory: 'memory://' });
  try {
    await migrateDatabase(database);
    return await measureWriteCost(database, writeCostOptions);
  } finally {
    await database.close();
  }
}

function writeCostLines(costs: Array<[string, WriteCost]>): string[] {
  const first = costs[0]?.[1];
  return [
    '## What the rollup triggers cost the metering write',
    '',
    `The ledger's group-commit INSERT of ${first?.batchRecords ?? 0}-record batches, ${first?.batches ?? 0} batches each way ` +
      'in alternating rounds with the insert trigger enabled and disabled (median milliseconds per batch):',
    '',
    '| store | with rollup triggers | without | per record, added |',
    '| --- | --- | --- | --- |',
    ...costs.map(
      ([store, cost]) =>
        `| ${store} | ${cost.withTriggers.toFixed(2)} ms | ${cost.withoutTriggers.toFixed(2)} ms | ` +
        `${(((cost.withTriggers - cost.withoutTriggers) / cost.batchRecords) * 1000).toFixed(0)} µs |`,
    ),
    '',
  ];
}

function report(
  loaded: Load,
  measurements: Measurement[],
  costs: Array<[string, WriteCost]>,
  serverVersion: string,
  command: string,
): string {
  const facts = machineFacts();
  const milliseconds = (value: number) => `${value.toFixed(1)} ms`;
  const lines = [
    '# Usage analytics at scale (issue 20): GET /v1/usage before and after rollups',
    '',
    `Measured with \`${command}\` on ${new Date().toISOString().slice(0, 10)}, ${serverVersion},`,
    `${facts.cpuModel} (${facts.cores} cores, shared with other work), ${facts.memoryGibibytes} GiB, Node ${facts.nodeVersion}.`,
    '',
    `- ${loaded.records.toLocaleString('en')} synthetic records over 120 days, ${synthetic.organizations} organisations, ` +
      `${synthetic.keysPerOrganization} keys each (two models per key, ${synthetic.models} models), ` +
      `\`${heavyOrganization}\` making a fifth: ${loaded.heavyRecordsInRange.toLocaleString('en')} of its records fall in the 90 days queried.`,
    `- Load: ${loaded.loadSeconds.toFixed(0)} s (INSERT … SELECT generate_series in chunks of 500,000, the rollup ` +
      `triggers running in each statement), then ${loaded.analyzeSeconds.toFixed(0)} s of VACUUM ANALYZE.`,
    `- Sizes with indexes: records ${loaded.sizes.records} (all partitions); hourly rollups ${loaded.sizes.hourly}, ` +
      `${loaded.rollupRows.hourly.toLocaleString('en')} rows; daily rollups ${loaded.sizes.daily}, ` +
      `${loaded.rollupRows.daily.toLocaleString('en')} rows.`,
    "- Each query runs as GET /v1/usage runs it: in the organisation's row-level-security scope, through",
    '  `queryUsageFromRecords` (before: the aggregate over the raw records) and `queryUsage` (after).',
    '  One unmeasured run first; "identical" compares the two answers row for row.',
    '',
    '| grouping | range | before p50 | before p95 | after p50 | after p95 | groups | identical |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...measurements.map(
      (entry) =>
        `| ${entry.grouping} | ${entry.range} | ${milliseconds(entry.before.p50)} | ${milliseconds(entry.before.p95)} ` +
        `| ${milliseconds(entry.after.p50)} | ${milliseconds(entry.after.p95)} | ${entry.after.rows.length} | ` +
        `${entry.identical ? 'yes' : 'NO'} |`,
    ),
    '',
    `Runs per figure: ${measurements[0]?.before.runs ?? 0} before, ${measurements[0]?.after.runs ?? 0} after.`,
    '',
    ...writeCostLines(costs),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  installCleanup();
  const records = argument('records', 10_000_000);
  const minutes = argument('minutes', 60);
  const deadline = setTimeout(() => {
    process.stderr.write(`\nbench:usage: stopped after ${minutes} minutes\n`);
    process.kill(process.pid, 'SIGTERM');
  }, minutes * 60_000);
  deadline.unref();
  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const command = `npm run bench:usage${process.argv.slice(2).length > 0 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  await withScratchDatabase(url, async (scratchUrl) => {
    const database = createPostgresDatabase({ url: scratchUrl, poolSize: 2, applicationName: 'bench:usage' });
    try {
      await migrateDatabase(database);
      const version = await database.query<{ server_version: string }>('SHOW server_version');
      const end = new Date(Math.floor(Date.now() / dayMs) * dayMs);
      progress(`loading ${records.toLocaleString('en')} records into a scratch database`);
      const loaded = await load(database, records, end, 120);
      const measurements = await measure(database, end, { before: 7, after: 40 });
      // why last: the rounds without the trigger leave those records out of the rollups.
      progress('timing the metering write with and without the rollup triggers (PostgreSQL, then PGlite)');
      const costs: Array<[string, WriteCost]> = [
        [
          `PostgreSQL ${version.rows[0]?.server_version ?? '?'} (after the load)`,
          await measureWriteCost(database, writeCostOptions),
        ],
        ['PGlite (in memory, empty)', await embeddedWriteCost()],
      ];
      const text = report(
        loaded,
        measurements,
        costs,
        `PostgreSQL ${version.rows[0]?.server_version ?? '?'}`,
        command,
      );
      await writeFile(resultsPath, text);
      process.stdout.write(`${text}\nWrote ${resultsPath.pathname}\n`);
    } finally {
      await database.close();
    }
  });
  clearTimeout(deadline);
}

await main();
