import type { KeyValueStore } from '../../storage/kv/index.ts';
import type { Clock } from '../../support/index.ts';
import {
  assertBudgetCounter,
  assertIdentifier,
  assertNanoUsd,
  checkedReservation,
  distinctBudgets,
} from './ledger-arguments.ts';
import type { BudgetCounter, BudgetLevel, SpendLedger } from './limits-types.ts';
import { counterKeys, reservationKey } from './spend-holds.ts';
import {
  finishOperation,
  levelsOperation,
  raiseSpentOperation,
  readReservationOperation,
  reserveOperation,
} from './spend-ledger-operations.ts';

export interface KeyValueSpendLedgerOptions {
  keyValueStore: KeyValueStore;
  clock: Clock;
  /**
   * How long a reservation that was never settled is remembered after its hold expired, so a late
   * settle still records the spend. Default one day.
   */
  expiredReservationRetentionMs?: number;
  /** How long a day or month counter stays readable after its period ended. Default 7 days. */
  periodRetentionMs?: number;
}

/** What a reservation record remembers of each budget, to visit it and report its level. */
interface HeldBudget {
  budgetId: string;
  periodKey: string;
  limitNanoUsd: number;
  resetsAt: number | null;
}

const dayMs = 24 * 60 * 60 * 1000;

/** Reservations of this process whose budgets it remembers (the oldest are forgotten beyond). */
const rememberedReservationsLimit = 100_000;

/**
 * The spend ledger on the key-value port: in process embedded, on Redis (one Lua script per call)
 * across replicas. Counters live per budget and period, so a new period starts from zero; a hold
 * expires lazily, inside the next reserve, settle or levels call touching its budget. Spend that
 * settles after its period ended is added to the period it was reserved in. Times come from the
 * injected clock, so replicas' clocks should agree (skew shifts hold expiry by the same amount).
 */
export function createKeyValueSpendLedger(options: KeyValueSpendLedgerOptions): SpendLedger {
  const { keyValueStore: store, clock } = options;
  const retentionMs = options.expiredReservationRetentionMs ?? dayMs;
  const periodRetentionMs = options.periodRetentionMs ?? 7 * dayMs;

  /** 0 for 'total' (no expiry); otherwise until a while after the period ends, at least 1 ms. */
  const periodTimeToLive = (budget: { resetsAt: number | null }) =>
    budget.resetsAt === null ? 0 : Math.max(1, Math.ceil(budget.resetsAt + periodRetentionMs - clock.now()));

  const keysOf = (budgets: readonly Pick<BudgetCounter, 'budgetId' | 'periodKey'>[]) =>
    budgets.flatMap((budget) => counterKeys(budget));

  const toLevels = (budgets: readonly HeldBudget[], values: readonly number[]): BudgetLevel[] =>
    budgets.map((budget, index) => ({
      budgetId: budget.budgetId,
      periodKey: budget.periodKey,
      spentNanoUsd: values[2 * index]!,
      reservedNanoUsd: values[2 * index + 1]!,
      limitNanoUsd: budget.limitNanoUsd,
    }));

  /**
   * The budgets of reservations made here and not finished yet. why: a reservation is almost always
   * settled by the process that made it, and knowing its budgets saves reading its record first
   * (one store round trip per request); the record is immutable, so what was written is still true.
   * Another process, or one that forgot, reads the record.
   */
  const remembered = new Map<string, HeldBudget[]>();
  const remember = (reservationId: string, budgets: HeldBudget[]) => {
    if (remembered.size >= rememberedReservationsLimit) {
      const oldest = remembered.keys().next();
      if (!oldest.done) remembered.delete(oldest.value);
    }
    remembered.set(reservationId, budgets);
  };

  const heldBudgetsOf = async (reservationId: string, record: string): Promise<HeldBudget[] | null> => {
    const known = remembered.get(reservationId);
    if (known !== undefined) {
      remembered.delete(reservationId);
      return known;
    }
    const budgetsJson = await store.runAtomic(readReservationOperation, [record], []);
    return budgetsJson === null ? null : (JSON.parse(budgetsJson) as HeldBudget[]);
  };

  const finish = async (reservationId: string, actualNanoUsd: number): Promise<BudgetLevel[]> => {
    assertIdentifier('reservationId', reservationId);
    assertNanoUsd('actualNanoUsd', actualNanoUsd);
    const record = reservationKey(reservationId);
    const budgets = await heldBudgetsOf(reservationId, record);
    if (budgets === null) return [];
    const values = await store.runAtomic(
      finishOperation,
      [record, ...keysOf(budgets)],
      [reservationId, actualNanoUsd, clock.now(), ...budgets.map(periodTimeToLive)],
    );
    return values === null ? [] : toLevels(budgets, values);
  };

  return {
    async reserve(request) {
      const { budgets, ttlMs } = checkedReservation(request);
      if (budgets.length === 0) return { ok: true };
      const now = clock.now();
      const held: HeldBudget[] = budgets.map(({ budgetId, periodKey, limitNanoUsd, resetsAt }) => ({
        budgetId,
        periodKey,
        limitNanoUsd,
        resetsAt,
      }));
      const result = await store.runAtomic(
        reserveOperation,
        [reservationKey(request.reservationId), ...keysOf(budgets)],
        [
          request.reservationId,
          request.amountNanoUsd,
          now,
          now + ttlMs,
          ttlMs + retentionMs,
          JSON.stringify(held),
          ...budgets.flatMap((budget) => [budget.limitNanoUsd, periodTimeToLive(budget)]),
        ],
      );
      if (result.ok) {
        remember(request.reservationId, held);
        return { ok: true };
      }
      return {
        ok: false,
        budget: budgets[result.position - 1]!,
        spentNanoUsd: result.spent,
        reservedNanoUsd: result.reserved,
      };
    },

    settle(reservationId, actualNanoUsd) {
      return finish(reservationId, actualNanoUsd);
    },

    async release(reservationId) {
      await finish(reservationId, 0);
    },

    async levels(requested) {
      const budgets = distinctBudgets(requested);
      if (budgets.length === 0) return [];
      const values = await store.runAtomic(levelsOperation, keysOf(budgets), [clock.now()]);
      const byIdentity = new Map(budgets.map((budget, index) => [counterKeys(budget)[0], index]));
      // why: levels answers for every counter asked, repeats included, in the caller's order.
      return requested.map((budget) => {
        const index = byIdentity.get(counterKeys(budget)[0])!;
        return toLevels([budget], values.slice(2 * index, 2 * index + 2))[0]!;
      });
    },

    async raiseSpent(budget, spentNanoUsd) {
      assertBudgetCounter(budget);
      assertNanoUsd('spentNanoUsd', spentNanoUsd);
      await store.runAtomic(raiseSpentOperation, counterKeys(budget), [
        spentNanoUsd,
        periodTimeToLive(budget),
      ]);
    },

    async close() {
      // The store belongs to the caller, who closes it.
    },
  };
}
