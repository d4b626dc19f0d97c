import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { durableSpendNanoUsd } from '../src/metering/budgets/index.ts';
import {
  createUsageLedger,
  decimalToPicoUsd,
  ensureUsagePartitions,
  queryUsage,
  queryUsageFromRecords,
  type UsageGrouping,
  type UsageRecord,
  usageColumns,
} from '../src/metering/index.ts';
import { type Database, migrateDatabase, migrations } from '../src/storage/db/index.ts';
import { type RandomSource, seededRandom, systemClock } from '../src/support/index.ts';
import { emptyDatabaseBackends } from './support/database-backends.ts';

const hourMs = 3_600_000;
const groupings: UsageGrouping[] = ['model', 'key', 'team', 'day'];
const organizations = ['org_rollup_a', 'org_rollup_b', 'org_rollup_c'];
/** 2026-03-30 00:00 UTC: the records span a month boundary, so they fall in two partitions. */
const firstHour = Date.UTC(2026, 2, 30);
const hoursCovered = 72;

const backends = await emptyDatabaseBackends();

const pick = <T>(random: RandomSource, choices: readonly T[]): T =>
  choices[Math.floor(random() * choices.length)] as T;

/** A decimal with 12 places, as the ledger writes cost. */
const decimal = (random: RandomSource) => `0.${String(Math.floor(random() * 1e12)).padStart(12, '0')}`;

/** Records varied in everything the report groups or sums, some on hour and day boundaries. */
function variedRecords(count: number, seed: number, prefix: string): UsageRecord[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, index) => {
    const onBoundary = index % 17 === 0;
    const offsetMs = onBoundary
      ? Math.floor(random() * hoursCovered) * hourMs
      : Math.floor(random() * hoursCovered * hourMs);
    const cacheStatus = pick(random, [null, 'miss', 'hit-l1', 'hit-l2', 'hit-semantic', 'bypass']);
    const servedModel = pick(random, ['sim/fast', 'openai/gpt-4o-mini', null]);
    const cacheWriteTokens = pick(random, [0, 0, 120]);
    return {
      requestId: `${prefix}_${index}`,
      organizationId: pick(random, organizations),
      apiKeyId: pick(random, ['key_1', 'key_2', 'key_3', null]),
      teamId: pick(random, ['team_red', 'team_blue', null]),
      endUser: pick(random, ['user_1', null]),
      endpoint: pick(random, ['chat.completions', 'embeddings'] as const),
      requestedModel: pick(random, ['sim/fast', 'fast-group', null]),
      provider: 'sim',
      deployment: 'sim/fast',
      servedModel,
      promptTokens: Math.floor(random() * 5000),
      completionTokens: Math.floor(random() * 2000),
      cachedTokens: pick(random, [0, 0, 64]),
      cacheWriteTokens,
      cacheWriteOneHourTokens: cacheWriteTokens > 0 ? pick(random, [0, 60]) : 0,
      costUsd: decimal(random),
      priceVersion: 'test',
      unpriced: servedModel === null && random() < 0.5,
      usageSource: 'provider',
      latencyMs: 12.5,
      timeToFirstTokenMs: null,
      streamed: false,
      status: pick(random, [200, 200, 200, 429, 500]),
      errorCode: null,
      modelGroup: null,
      attempts: 1,
      fallbackReason: null,
      cacheStatus,
      cacheSavedUsd: cacheStatus?.startsWith('hit-') ? decimal(random) : '0',
      createdAt: new Date(firstHour + offsetMs),
    };
  });
}

/** Hour-aligned, unaligned, within one hour, single-day and empty ranges. */
const ranges: Array<{ name: string; from: number; to: number }> = [
  { name: 'all whole hours', from: firstHour, to: firstHour + hoursCovered * hourMs },
  { name: 'unaligned ends', from: firstHour + 17 * 60_000 + 3123, to: firstHour + 61.5 * hourMs + 7 },
  { name: 'one UTC day', from: firstHour + 24 * hourMs, to: firstHour + 48 * hourMs },
  {
    name: 'inside one hour',
    from: firstHour + 10 * hourMs + 300_000,
    to: firstHour + 10 * hourMs + 3_300_000,
  },
  { name: 'exactly one hour', from: firstHour + 5 * hourMs, to: firstHour + 6 * hourMs },
  { name: 'across the month', from: firstHour + 47.25 * hourMs, to: firstHour + 50.75 * hourMs },
  { name: 'before any record', from: firstHour - 48 * hourMs, to: firstHour - 3 * hourMs },
];

async function writeThroughLedger(database: Database, records: readonly UsageRecord[]): Promise<void> {
  const ledger = createUsageLedger({
    database: database.forPlatform('rollup test writes usage'),
    clock: systemClock,
    batchMaxRecords: 97,
    queueMaxRecords: 10_000,
    concurrentWrites: database.concurrentStatements,
  });
  await Promise.all(records.map((record) => ledger.record(record)));
  await ledger.close();
}

/** Writes records as the platform did before migration 25, whose ledger conflicted on request_id alone. */
async function insertBeforePartitioning(database: Database, records: readonly UsageRecord[]): Promise<void> {
  const columns = usageColumns.map(([name]) => name).join(', ');
  const rows = records.map((record) =>
    Object.fromEntries(usageColumns.map(([name, read]) => [name, read(record)])),
  );
  await database.query(
    `INSERT INTO usage_records (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::usage_records, $1::json)`,
    [JSON.stringify(rows)],
  );
}

/** Every grouping of every range, for every organisation: rollups and records agree exactly. */
async function expectRollupsToMatchRecords(database: Database): Promise<number> {
  let compared = 0;
  for (const organizationId of organizations) {
    const scoped = database.forOrganization(organizationId);
    for (const range of ranges) {
      for (const groupBy of groupings) {
        const query = { organizationId, from: new Date(range.from), to: new Date(range.to), groupBy };
        const fromRollups = await queryUsage(scoped, query);
        const fromRecords = await queryUsageFromRecords(scoped, query);
        expect({ range: range.name, groupBy, rows: fromRollups }).toEqual({
          range: range.name,
          groupBy,
          rows: fromRecords,
        });
        compared += fromRecords.length;
      }
    }
  }
  return compared;
}

async function countOf(database: Database, sql: string, parameters: unknown[] = []): Promise<number> {
  const result = await database.query<{ count: number }>(sql, parameters);
  return result.rows[0]?.count ?? 0;
}

for (const backend of backends) {
  describe(`usage rollups and partitions on ${backend.name}`, () => {
    let database: Database;
    let close: () => Promise<void>;
    const legacy = variedRecords(150, 7, 'legacy');
    const metered = variedRecords(1200, 11, 'metered');

    beforeAll(async () => {
      ({ database, close } = await backend.open());
      // The schema as it was before partitioning, holding records written then.
      await migrateDatabase(
        database,
        migrations.filter((migration) => migration.version < 25),
      );
      await insertBeforePartitioning(database, legacy);
      await migrateDatabase(database);
    }, 120_000);
    afterAll(() => close());

    it('migrates the existing records into monthly partitions and rolls them up', async () => {
      const partitions = await database.query<{ name: string; row_level_security: boolean }>(
        `SELECT c.relname AS name, c.relrowsecurity AS row_level_security
           FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = 'usage_records'::regclass ORDER BY 1`,
      );
      const names = partitions.rows.map((row) => row.name);
      expect(names).toEqual(
        expect.arrayContaining(['usage_records_2026_03', 'usage_records_2026_04', 'usage_records_default']),
      );
      expect(partitions.rows.every((row) => row.row_level_security)).toBe(true);
      expect(await countOf(database, 'SELECT count(*)::int8 AS count FROM usage_records')).toBe(
        legacy.length,
      );
      expect(await countOf(database, 'SELECT count(*)::int8 AS count FROM ONLY usage_records_default')).toBe(
        0,
      );
      expect(
        await countOf(database, 'SELECT coalesce(sum(requests), 0)::int8 AS count FROM usage_rollups_hourly'),
      ).toBe(legacy.length);
      expect(await expectRollupsToMatchRecords(database)).toBeGreaterThan(0);
    }, 120_000);

    it('keeps the rollups exact through group-commit batches, including a retried batch', async () => {
      await writeThroughLedger(database, metered);
      // The same records again, as a batch retried after its commit was not acknowledged: nothing counts twice.
      await writeThroughLedger(database, metered.slice(0, 300));
      const total = legacy.length + metered.length;
      expect(await countOf(database, 'SELECT count(*)::int8 AS count FROM usage_records')).toBe(total);
      expect(
        await countOf(database, 'SELECT coalesce(sum(requests), 0)::int8 AS count FROM usage_rollups_hourly'),
      ).toBe(total);
      const compared = await expectRollupsToMatchRecords(database);
      expect(compared).toBeGreaterThan(100);
    }, 240_000);

    it('reads budget spend off the rollups exactly as the records sum it, for every scope and period', async () => {
      const periods = [
        { periodKey: '2026-03-31', start: Date.UTC(2026, 2, 31), resetsAt: Date.UTC(2026, 3, 1) },
        { periodKey: '2026-03', start: Date.UTC(2026, 2, 1), resetsAt: Date.UTC(2026, 3, 1) },
        { periodKey: '2026-04', start: Date.UTC(2026, 3, 1), resetsAt: Date.UTC(2026, 4, 1) },
        { periodKey: 'total', start: 0, resetsAt: null },
      ];
      const filters = {
        organization: ['', []],
        api_key: ['AND api_key_id = $3', ['key_2']],
        team: ['AND team_id = $3', ['team_blue']],
        end_user: ['AND end_user = $3', ['user_1']],
      } as const;
      let nonZero = 0;
      for (const organizationId of organizations) {
        const scoped = database.forOrganization(organizationId);
        const subject = { organizationId, apiKeyId: 'key_2', teamId: 'team_blue', endUser: 'user_1' };
        for (const { start, ...period } of periods) {
          for (const scope of ['organization', 'api_key', 'team', 'end_user'] as const) {
            const [filter, values] = filters[scope];
            const expected = await scoped.query<{ spent: string }>(
              `SELECT coalesce(sum(cost_usd), 0)::text AS spent FROM usage_records
                WHERE created_at >= $1 AND created_at < $2::timestamptz ${filter}`,
              [new Date(start), period.resetsAt === null ? 'infinity' : new Date(period.resetsAt), ...values],
            );
            const expectedNanoUsd = Number((decimalToPicoUsd(expected.rows[0]!.spent) + 999n) / 1000n);
            const budget = { budgetId: 'budget', scope, limitNanoUsd: 1, ...period };
            const spent = await durableSpendNanoUsd(scoped, budget, subject);
            expect({ organizationId, scope, ...period, spent }).toEqual({
              organizationId,
              scope,
              ...period,
              spent: expectedNanoUsd,
            });
            if (spent > 0) nonZero++;
          }
        }
      }
      expect(nonZero).toBeGreaterThan(20);
    }, 120_000);

    it('answers whole days and hours from the rollups, not by scanning the records', async () => {
      const organizationId = organizations[0]!;
      const scoped = database.forOrganization(organizationId);
      const queries = [
        { from: firstHour, to: firstHour + hoursCovered * hourMs },
        { from: firstHour + 5 * hourMs, to: firstHour + 70 * hourMs },
      ].map(({ from, to }) => ({
        organizationId,
        from: new Date(from),
        to: new Date(to),
        groupBy: 'model' as const,
      }));
      const before = await Promise.all(queries.map((query) => queryUsage(scoped, query)));
      // A statement on one partition does not fire the parent's triggers: the records go, the rollups stay.
      await database.query('CREATE TABLE parked_usage_records (LIKE usage_records)');
      await database.query(
        `WITH parked AS (DELETE FROM usage_records_2026_03 WHERE organization_id = $1 RETURNING *)
         INSERT INTO parked_usage_records SELECT * FROM parked`,
        [organizationId],
      );
      for (const [index, query] of queries.entries()) {
        expect(await queryUsage(scoped, query)).toEqual(before[index]);
        expect(await queryUsageFromRecords(scoped, query)).not.toEqual(before[index]);
      }
      await database.query('INSERT INTO usage_records_2026_03 SELECT * FROM parked_usage_records');
      await database.query('DROP TABLE parked_usage_records');
      expect(await expectRollupsToMatchRecords(database)).toBeGreaterThan(0);
      // Through the parent a delete or an update is applied to the rollups in the same statement.
      await database
        .forPlatform('rollup test deletes usage')
        .query('DELETE FROM usage_records WHERE request_id LIKE $1 AND status >= 400', ['metered_%']);
      await database
        .forPlatform('rollup test corrects usage')
        .query(
          `UPDATE usage_records SET cost_usd = cost_usd * 2, served_model = 'sim/other' WHERE request_id LIKE $1`,
          ['metered_1%'],
        );
      expect(await expectRollupsToMatchRecords(database)).toBeGreaterThan(0);
    }, 240_000);

    it('creates partitions ahead, and moves rows that landed in the default partition into their month', async () => {
      const later = variedRecords(40, 13, 'later').map((record, index) => ({
        ...record,
        createdAt: new Date(Date.UTC(2031, 4, 1 + (index % 28), index % 24)),
      }));
      await writeThroughLedger(database, later);
      expect(await countOf(database, 'SELECT count(*)::int8 AS count FROM ONLY usage_records_default')).toBe(
        later.length,
      );
      const platform = database.forPlatform('rollup test makes partitions');
      expect(await ensureUsagePartitions(platform, new Date(Date.UTC(2031, 4, 20)), 2)).toBe(3);
      expect(await ensureUsagePartitions(platform, new Date(Date.UTC(2031, 4, 20)), 2)).toBe(0);
      expect(await countOf(database, 'SELECT count(*)::int8 AS count FROM ONLY usage_records_default')).toBe(
        0,
      );
      expect(await countOf(database, 'SELECT count(*)::int8 AS count FROM usage_records_2031_05')).toBe(
        later.length,
      );
      const security = await database.query<{ enabled: boolean }>(
        `SELECT relrowsecurity AS enabled FROM pg_class WHERE relname = 'usage_records_2031_07'`,
      );
      expect(security.rows).toEqual([{ enabled: true }]);
      for (const organizationId of organizations) {
        const query = {
          organizationId,
          from: new Date(Date.UTC(2031, 4, 1)),
          to: new Date(Date.UTC(2031, 5, 1)),
          groupBy: 'day' as const,
        };
        const scoped = database.forOrganization(organizationId);
        expect(await queryUsage(scoped, query)).toEqual(await queryUsageFromRecords(scoped, query));
      }
      // Another organisation's scope sees none of these rows, read through the parent or the partition.
      const outsider = database.forOrganization('org_rollup_outsider');
      expect(await countOf(outsider, 'SELECT count(*)::int8 AS count FROM usage_records_2031_05')).toBe(0);
      expect(await countOf(outsider, 'SELECT count(*)::int8 AS count FROM usage_rollups_hourly')).toBe(0);
    }, 240_000);
  });
}
