import { afterAll, describe, expect, it } from 'vitest';
import {
  createTemporaryDatabase,
  postgresAvailable,
  type TemporaryDatabase,
} from '../../../test/support/services.ts';
import {
  createPostgresDatabase,
  type Database,
  migrateDatabase,
  openDatabase,
  type Queryable,
} from '../../storage/db/index.ts';
import type { Clock } from '../../support/index.ts';
import { currentBudgetPeriod, periodStartOf } from './budget-period.ts';
import type { BudgetCounter } from './limits-types.ts';
import { runSpendLedgerContract, type SpendLedgerUnderTest } from './spend-ledger.contract.ts';
import { createSqlSpendLedger } from './sql-spend-ledger.ts';
import { createManualClock } from './test-clock.ts';

/** Inserts an organisation and one `budgets` row per counter, in the counter's current period. */
async function insertBudgetRows(database: Queryable, budgets: readonly BudgetCounter[], clock: Clock) {
  await database.query(
    `INSERT INTO organizations (id, name) VALUES ('org_limits', 'Limits tests') ON CONFLICT (id) DO NOTHING`,
  );
  for (const budget of budgets) {
    const period = budget.periodKey === 'total' ? 'total' : budget.periodKey.length === 10 ? 'day' : 'month';
    await database.query(
      `INSERT INTO budgets (id, organization_id, scope, subject, limit_usd, period, period_start)
       VALUES ($1, 'org_limits', $2, $1, $3::numeric * 0.000000001, $4, $5)`,
      [
        budget.budgetId,
        budget.scope,
        String(budget.limitNanoUsd),
        period,
        new Date(periodStartOf(budget.periodKey) ?? clock.now()),
      ],
    );
  }
}

function underTest(databases: Database[], clock: Clock): SpendLedgerUnderTest {
  return {
    ledgers: databases.map((database) => createSqlSpendLedger({ database, clock })),
    defineBudgets: (budgets) => insertBudgetRows(databases[0]!, budgets, clock),
    // why: budgets have ids unique to each test, reservations do not; a file's tests run one at a time.
    cleanup: async () => {
      await databases[0]!.query('DELETE FROM budget_reservations');
    },
  };
}

let pglite: Database | undefined;
afterAll(async () => {
  await pglite?.close();
});

/** One migrated PGlite for the whole file, since opening one takes seconds. */
async function sharedPglite(): Promise<Database> {
  if (pglite === undefined) {
    pglite = await openDatabase({ dataDirectory: 'memory://' });
    await migrateDatabase(pglite);
  }
  return pglite;
}

runSpendLedgerContract('SQL on PGlite', async (clock) => underTest([await sharedPglite()], clock));

describe('SQL spend ledger specifics', () => {
  const usd = 1_000_000_000;

  it('carries a hold into the next period, where its spend settles', async () => {
    const database = await sharedPglite();
    const clock = createManualClock(Date.UTC(2026, 10, 24, 23, 59));
    const ledger = createSqlSpendLedger({ database, clock });
    const today: BudgetCounter = {
      budgetId: 'specific-daily',
      scope: 'api_key',
      limitNanoUsd: usd,
      ...currentBudgetPeriod('day', clock.now()),
    };
    await insertBudgetRows(database, [today], clock);
    await ledger.reserve({
      reservationId: 'specific-late',
      budgets: [today],
      amountNanoUsd: 300_000_000,
      ttlMs: 600_000,
    });
    await ledger.reserve({
      reservationId: 'specific-early',
      budgets: [today],
      amountNanoUsd: 100_000_000,
      ttlMs: 600_000,
    });
    await ledger.settle('specific-early', 100_000_000);

    clock.advance(2 * 60_000);
    const tomorrow = { ...today, ...currentBudgetPeriod('day', clock.now()) };
    expect(await ledger.levels([tomorrow])).toMatchObject([
      { spentNanoUsd: 0, reservedNanoUsd: 300_000_000 },
    ]);
    expect(await ledger.settle('specific-late', 250_000_000)).toEqual([
      {
        budgetId: 'specific-daily',
        periodKey: '2026-11-25',
        spentNanoUsd: 250_000_000,
        reservedNanoUsd: 0,
        limitNanoUsd: usd,
      },
    ]);
  });

  it('rolls a period over in settle too, from the row’s period and the clock', async () => {
    const database = await sharedPglite();
    const clock = createManualClock(Date.UTC(2026, 10, 30, 12));
    const ledger = createSqlSpendLedger({ database, clock });
    const monthly: BudgetCounter = {
      budgetId: 'specific-monthly',
      scope: 'organization',
      limitNanoUsd: usd,
      ...currentBudgetPeriod('month', clock.now()),
    };
    await insertBudgetRows(database, [monthly], clock);
    await ledger.raiseSpent(monthly, 900_000_000);
    await ledger.reserve({
      reservationId: 'specific-across',
      budgets: [monthly],
      amountNanoUsd: 50_000_000,
      ttlMs: 86_400_000,
    });
    clock.set(Date.UTC(2026, 11, 1, 0, 5));
    expect(await ledger.settle('specific-across', 40_000_000)).toMatchObject([
      { periodKey: '2026-12', spentNanoUsd: 40_000_000, reservedNanoUsd: 0 },
    ]);
    // A stale counter of the month before changes nothing.
    await ledger.raiseSpent(monthly, 990_000_000);
    const december = { ...monthly, ...currentBudgetPeriod('month', clock.now()) };
    expect(await ledger.levels([december])).toMatchObject([{ spentNanoUsd: 40_000_000 }]);
  });

  it('leaves out counters without a budgets row, and says so', async () => {
    const database = await sharedPglite();
    const clock = createManualClock(Date.UTC(2026, 10, 24, 12));
    const missing: string[][] = [];
    const ledger = createSqlSpendLedger({
      database,
      clock,
      onMissingBudget: (ids) => missing.push([...ids]),
    });
    const period = currentBudgetPeriod('month', clock.now());
    const stored: BudgetCounter = {
      budgetId: 'specific-stored',
      scope: 'api_key',
      limitNanoUsd: usd,
      ...period,
    };
    const implicit: BudgetCounter = {
      budgetId: 'plan:specific-org',
      scope: 'organization',
      limitNanoUsd: 1,
      ...period,
    };
    await insertBudgetRows(database, [stored], clock);
    expect(
      await ledger.reserve({
        reservationId: 'specific-r',
        budgets: [implicit, stored],
        amountNanoUsd: 500,
        ttlMs: 1_000,
      }),
    ).toEqual({ ok: true });
    expect(missing).toEqual([['plan:specific-org']]);
    expect(await ledger.settle('specific-r', 400)).toMatchObject([
      { budgetId: 'specific-stored', spentNanoUsd: 400 },
    ]);
    expect(await ledger.levels([implicit])).toMatchObject([{ spentNanoUsd: 0, reservedNanoUsd: 0 }]);
    await ledger.reserve({
      reservationId: 'specific-only-implicit',
      budgets: [implicit],
      amountNanoUsd: 5,
      ttlMs: 1_000,
    });
    expect(
      (await database.query(`SELECT id FROM budget_reservations WHERE id = 'specific-only-implicit'`)).rows,
    ).toEqual([]);
  });

  it('reads spend stored with more than nine decimals rounded up to the next nano-USD', async () => {
    const database = await sharedPglite();
    const clock = createManualClock(Date.UTC(2026, 10, 24, 12));
    const ledger = createSqlSpendLedger({ database, clock });
    const budget: BudgetCounter = {
      budgetId: 'specific-precise',
      scope: 'api_key',
      limitNanoUsd: usd,
      ...currentBudgetPeriod('total', clock.now()),
    };
    await insertBudgetRows(database, [budget], clock);
    await database.query(`UPDATE budgets SET spent_usd = 0.000000001001 WHERE id = 'specific-precise'`);
    expect(await ledger.levels([budget])).toMatchObject([{ spentNanoUsd: 2 }]);
  });
});

const postgres = await postgresAvailable();

describe.runIf(postgres)('SQL spend ledger on PostgreSQL', () => {
  let temporary: TemporaryDatabase | undefined;
  let databases: Database[] = [];

  afterAll(async () => {
    await Promise.all(databases.map((database) => database.close()));
    await temporary?.drop();
  });

  runSpendLedgerContract('SQL on PostgreSQL with three pools', async (clock) => {
    if (temporary === undefined) {
      temporary = await createTemporaryDatabase();
      // why: three pools act as three replicas, each with its own connections.
      databases = Array.from({ length: 3 }, () => createPostgresDatabase({ url: temporary!.url }));
      await migrateDatabase(databases[0]!);
    }
    return underTest(databases, clock);
  });
});
