import type { Database } from '../../storage/db/index.ts';
import type { Clock } from '../../support/index.ts';
import { periodStartOf } from './budget-period.ts';
import {
  assertBudgetCounter,
  assertIdentifier,
  assertNanoUsd,
  checkedReservation,
  distinctBudgets,
} from './ledger-arguments.ts';
import type { BudgetCounter, BudgetLevel, SpendLedger } from './limits-types.ts';
import {
  finishStatement,
  levelsStatement,
  raiseSpentStatement,
  reserveStatement,
} from './sql-spend-statements.ts';

export interface SqlSpendLedgerOptions {
  database: Database;
  clock: Clock;
  /**
   * How long a reservation that was never settled is remembered after its hold expired, so a late
   * settle still records the spend. Default one day.
   */
  expiredReservationRetentionMs?: number;
  /**
   * Told about counters that have no `budgets` row (such as implicit plan budgets); they cannot be
   * held in SQL, so they are left out of the reservation. Default: ignored.
   */
  onMissingBudget?: (budgetIds: readonly string[]) => void;
}

interface ReserveRow {
  fits: boolean;
  duplicate: boolean;
  missing: string[];
  refused_position: number | null;
  refused_spent: number | null;
  refused_reserved: number | null;
}

interface FinishRow {
  id: string;
  period: 'day' | 'month' | 'total';
  period_start: Date;
  spent: number;
  reserved: number;
  limit_nano: number;
}

const dayMs = 24 * 60 * 60 * 1000;

/**
 * One counter per budget row, the first named. why: a row counts one period, so two periods of
 * one budget in one call would update the same row twice in one statement.
 */
function onePerRow(budgets: readonly BudgetCounter[]): BudgetCounter[] {
  const seen = new Set<string>();
  return distinctBudgets(budgets).filter((budget) => {
    if (seen.has(budget.budgetId)) return false;
    seen.add(budget.budgetId);
    return true;
  });
}

/** The periodKey of a row's current period, as {@link currentBudgetPeriod} names it (UTC). */
function periodKeyOf(period: FinishRow['period'], start: Date): string {
  if (period === 'total') return 'total';
  return start.toISOString().slice(0, period === 'day' ? 10 : 7);
}

/**
 * The spend ledger on the `budgets` and `budget_reservations` tables, for PostgreSQL shared by
 * several processes without Redis (and PGlite). Every call is one SQL statement; see
 * sql-spend-statements.ts for the locking, expiry and period rules. Limits come from the caller's
 * counters for reserve and levels (as in the key-value ledger) and from the rows for settle's
 * levels. A counter without a `budgets` row cannot be held here: it is left out (and reported to
 * `onMissingBudget`), and its levels read as zero.
 */
export function createSqlSpendLedger(options: SqlSpendLedgerOptions): SpendLedger {
  const { database, clock } = options;
  const retentionMs = options.expiredReservationRetentionMs ?? dayMs;

  /** $1–$5 of the statements that touch budgets by counter. */
  const touchParameters = (budgets: readonly BudgetCounter[], now: number) => {
    const periodStarts = budgets.map((budget) => {
      const start = periodStartOf(budget.periodKey);
      return start === null ? null : new Date(start);
    });
    return [
      budgets.map((budget) => budget.budgetId),
      budgets.map((budget) => String(budget.limitNanoUsd)),
      periodStarts,
      new Date(now),
      new Date(now + retentionMs),
    ];
  };

  const finish = async (reservationId: string, actualNanoUsd: number): Promise<BudgetLevel[]> => {
    assertIdentifier('reservationId', reservationId);
    assertNanoUsd('actualNanoUsd', actualNanoUsd);
    const result = await database.query<FinishRow>(finishStatement, [
      reservationId,
      String(actualNanoUsd),
      new Date(clock.now()),
    ]);
    return result.rows.map((row) => ({
      budgetId: row.id,
      periodKey: periodKeyOf(row.period, row.period_start),
      spentNanoUsd: row.spent,
      reservedNanoUsd: row.reserved,
      limitNanoUsd: row.limit_nano,
    }));
  };

  return {
    async reserve(request) {
      const { ttlMs } = checkedReservation(request);
      const budgets = onePerRow(request.budgets);
      if (budgets.length === 0) return { ok: true };
      const now = clock.now();
      const result = await database.query<ReserveRow>(reserveStatement, [
        ...touchParameters(budgets, now),
        request.reservationId,
        String(request.amountNanoUsd),
        new Date(now + ttlMs),
      ]);
      const row = result.rows[0]!;
      if (row.missing.length > 0) options.onMissingBudget?.(row.missing);
      if (row.fits || row.duplicate) return { ok: true };
      return {
        ok: false,
        budget: budgets[row.refused_position! - 1]!,
        spentNanoUsd: row.refused_spent!,
        reservedNanoUsd: row.refused_reserved!,
      };
    },

    settle(reservationId, actualNanoUsd) {
      return finish(reservationId, actualNanoUsd);
    },

    async release(reservationId) {
      await finish(reservationId, 0);
    },

    async levels(requested) {
      const budgets = onePerRow(requested);
      if (budgets.length === 0) return [];
      const result = await database.query<{ budget_id: string; spent: number; reserved: number }>(
        levelsStatement,
        touchParameters(budgets, clock.now()),
      );
      const byId = new Map(result.rows.map((row) => [row.budget_id, row]));
      return requested.map((budget) => ({
        budgetId: budget.budgetId,
        periodKey: budget.periodKey,
        spentNanoUsd: byId.get(budget.budgetId)?.spent ?? 0,
        reservedNanoUsd: byId.get(budget.budgetId)?.reserved ?? 0,
        limitNanoUsd: budget.limitNanoUsd,
      }));
    },

    async raiseSpent(budget, spentNanoUsd) {
      assertBudgetCounter(budget);
      assertNanoUsd('spentNanoUsd', spentNanoUsd);
      const start = periodStartOf(budget.periodKey);
      await database.query(raiseSpentStatement, [
        budget.budgetId,
        String(spentNanoUsd),
        start === null ? null : new Date(start),
      ]);
    },

    async close() {
      // The database belongs to the caller, who closes it.
    },
  };
}
