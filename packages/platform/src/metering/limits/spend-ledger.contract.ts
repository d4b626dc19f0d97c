import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Clock, seededRandom, systemClock } from '../../support/index.ts';
import { currentBudgetPeriod } from './budget-period.ts';
import type { BudgetCounter, BudgetPeriod, BudgetScope, SpendLedger } from './limits-types.ts';
import { createManualClock, type ManualClock } from './test-clock.ts';

/** Ledgers over one fresh shared state, and a way to remove it. */
export interface SpendLedgerUnderTest {
  /** One ledger per replica (separate clients or pools) over the same state; one suffices in process. */
  ledgers: SpendLedger[];
  /** Creates the budgets where the backend keeps rows for them (SQL); nothing elsewhere. */
  defineBudgets(budgets: readonly BudgetCounter[]): Promise<void>;
  cleanup(): Promise<void>;
}

/** Builds ledgers whose time comes from `clock`. */
export type SpendLedgerFactory = (clock: Clock) => Promise<SpendLedgerUnderTest>;

const usd = 1_000_000_000;
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));
/** 2026-11-24 12:00 UTC: midway through a day, so tests can cross into the next one. */
const startTime = Date.UTC(2026, 10, 24, 12);

let budgetCount = 0;

/**
 * The behaviour every SpendLedger must share. Amounts are nano-USD; expiry runs on a manual clock
 * (and once on real time with a short TTL); concurrency runs across every replica offered.
 */
export function runSpendLedgerContract(name: string, factory: SpendLedgerFactory): void {
  describe(`SpendLedger contract: ${name}`, () => {
    let clock: ManualClock;
    let underTest: SpendLedgerUnderTest;
    let ledger: SpendLedger;

    beforeEach(async () => {
      clock = createManualClock(startTime);
      underTest = await factory(clock);
      ledger = underTest.ledgers[0]!;
    });

    afterEach(async () => {
      await underTest.cleanup();
    });

    /** A budget no other test uses, in the period `at` (default: the clock's now) falls in. */
    function newBudget(
      limitNanoUsd: number,
      options: { scope?: BudgetScope; period?: BudgetPeriod; at?: number } = {},
    ): BudgetCounter {
      budgetCount += 1;
      return {
        budgetId: `budget_${process.pid}_${budgetCount}_${Math.random().toString(36).slice(2, 8)}`,
        scope: options.scope ?? 'organization',
        limitNanoUsd,
        ...currentBudgetPeriod(options.period ?? 'month', options.at ?? clock.now()),
      };
    }

    /** A new budget with its row created where the backend needs one. */
    async function defineBudget(
      limitNanoUsd: number,
      options: { scope?: BudgetScope; period?: BudgetPeriod } = {},
    ): Promise<BudgetCounter> {
      const budget = newBudget(limitNanoUsd, options);
      await underTest.defineBudgets([budget]);
      return budget;
    }

    const reserve = (
      budgets: BudgetCounter[],
      reservationId: string,
      amountNanoUsd: number,
      ttlMs = 60_000,
    ) => ledger.reserve({ reservationId, budgets, amountNanoUsd, ttlMs });

    const level = async (budget: BudgetCounter) => {
      const [found] = await ledger.levels([budget]);
      return { spent: found!.spentNanoUsd, reserved: found!.reservedNanoUsd };
    };

    it('reserves, settles and releases with exact nano-USD arithmetic', async () => {
      const budget = await defineBudget(usd);
      expect(await reserve([budget], 'request-1', 300_000_001)).toEqual({ ok: true });
      expect(await level(budget)).toEqual({ spent: 0, reserved: 300_000_001 });

      expect(await ledger.settle('request-1', 123_456_789)).toEqual([
        {
          budgetId: budget.budgetId,
          periodKey: budget.periodKey,
          spentNanoUsd: 123_456_789,
          reservedNanoUsd: 0,
          limitNanoUsd: usd,
        },
      ]);

      expect(await reserve([budget], 'request-2', 500_000_000)).toEqual({ ok: true });
      await ledger.release('request-2');
      expect(await level(budget)).toEqual({ spent: 123_456_789, reserved: 0 });

      const room = usd - 123_456_789;
      expect(await reserve([budget], 'request-3', room)).toEqual({ ok: true });
      expect(await reserve([budget], 'request-4', 1)).toEqual({
        ok: false,
        budget,
        spentNanoUsd: 123_456_789,
        reservedNanoUsd: room,
      });
      await ledger.settle('request-3', room + 5);
      expect(await level(budget)).toEqual({ spent: usd + 5, reserved: 0 });
    });

    it('settles, releases and expires zero reservations (unpriced or free models) cleanly', async () => {
      const budget = await defineBudget(usd);
      expect(await reserve([budget], 'unpriced-settled', 0)).toEqual({ ok: true });
      expect(await ledger.settle('unpriced-settled', 0)).toEqual([
        {
          budgetId: budget.budgetId,
          periodKey: budget.periodKey,
          spentNanoUsd: 0,
          reservedNanoUsd: 0,
          limitNanoUsd: usd,
        },
      ]);
      // Settled means gone: a second settle finds nothing to settle.
      expect(await ledger.settle('unpriced-settled', 0)).toEqual([]);

      expect(await reserve([budget], 'unpriced-released', 0)).toEqual({ ok: true });
      await ledger.release('unpriced-released');
      expect(await ledger.settle('unpriced-released', 0)).toEqual([]);

      expect(await reserve([budget], 'unpriced-crashed', 0, 1_000)).toEqual({ ok: true });
      clock.advance(1_000);
      expect(await level(budget)).toEqual({ spent: 0, reserved: 0 });
      expect(await reserve([budget], 'priced-after', usd)).toEqual({ ok: true });
      await ledger.settle('priced-after', 7);
      expect(await level(budget)).toEqual({ spent: 7, reserved: 0 });
    });

    it('reserves in all budgets or in none, naming the first without room', async () => {
      const organization = await defineBudget(10 * usd);
      const apiKey = await defineBudget(usd, { scope: 'api_key' });
      const endUser = await defineBudget(usd / 2, { scope: 'end_user' });
      const all = [organization, apiKey, endUser];
      expect(await reserve(all, 'first', 450_000_000)).toEqual({ ok: true });
      await ledger.settle('first', 450_000_000);

      expect(await reserve(all, 'too-much', 100_000_000)).toEqual({
        ok: false,
        budget: endUser,
        spentNanoUsd: 450_000_000,
        reservedNanoUsd: 0,
      });
      const levels = await ledger.levels(all);
      expect(levels.map((found) => [found.spentNanoUsd, found.reservedNanoUsd])).toEqual([
        [450_000_000, 0],
        [450_000_000, 0],
        [450_000_000, 0],
      ]);

      // Two budgets short: the first in the caller's order is named.
      expect(await reserve([organization, apiKey, endUser], 'way-too-much', 600_000_000)).toMatchObject({
        ok: false,
        budget: apiKey,
      });
      expect(await reserve(all, 'fits', 50_000_000)).toEqual({ ok: true });
      expect((await ledger.levels(all)).map((found) => found.reservedNanoUsd)).toEqual([
        50_000_000, 50_000_000, 50_000_000,
      ]);
    });

    it('lets exactly floor(limit / amount) of 600 concurrent reservations through, across replicas', async () => {
      const budget = await defineBudget(usd);
      const amount = 3_000_000;
      const outcomes = await Promise.all(
        Array.from({ length: 600 }, (_, index) =>
          underTest.ledgers[index % underTest.ledgers.length]!.reserve({
            reservationId: `concurrent-${index}`,
            budgets: [budget],
            amountNanoUsd: amount,
            ttlMs: 60_000,
          }),
        ),
      );
      const granted = Math.floor(usd / amount);
      expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(granted);
      expect(await level(budget)).toEqual({ spent: 0, reserved: granted * amount });
    });

    it('settles each reservation once, however often settle is called', async () => {
      const budget = await defineBudget(usd);
      await reserve([budget], 'once', 200_000_000);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          underTest.ledgers[index % underTest.ledgers.length]!.settle('once', 150_000_000),
        ),
      );
      expect(results.filter((levels) => levels.length > 0)).toHaveLength(1);
      expect(await ledger.settle('once', 150_000_000)).toEqual([]);
      await ledger.release('once');
      expect(await level(budget)).toEqual({ spent: 150_000_000, reserved: 0 });
      expect(await ledger.settle('never-reserved', 1)).toEqual([]);
      await ledger.release('never-reserved');
    });

    it('answers ok without reserving twice when a reservation id is reused', async () => {
      const budget = await defineBudget(usd);
      expect(await reserve([budget], 'retried', 400_000_000)).toEqual({ ok: true });
      expect(await reserve([budget], 'retried', 400_000_000)).toEqual({ ok: true });
      expect(await level(budget)).toEqual({ spent: 0, reserved: 400_000_000 });
    });

    it('stops counting a reservation that was never settled after its TTL, and still records a late settle', async () => {
      const organization = await defineBudget(usd);
      const apiKey = await defineBudget(usd, { scope: 'api_key' });
      await reserve([organization, apiKey], 'crashed', 600_000_000, 1_000);
      expect(await reserve([apiKey], 'blocked', 500_000_000)).toMatchObject({ ok: false });

      clock.advance(999);
      expect(await reserve([apiKey], 'still-blocked', 500_000_000)).toMatchObject({ ok: false });
      clock.advance(1);
      expect(await reserve([apiKey], 'after-expiry', 500_000_000)).toEqual({ ok: true });
      expect(await level(apiKey)).toEqual({ spent: 0, reserved: 500_000_000 });
      expect(await level(organization)).toEqual({ spent: 0, reserved: 0 });

      // The crashed request finishes late after all: its spend counts, its hold is not released twice.
      const levels = await ledger.settle('crashed', 200_000_000);
      expect(levels.map((found) => [found.budgetId, found.spentNanoUsd, found.reservedNanoUsd])).toEqual([
        [organization.budgetId, 200_000_000, 0],
        [apiKey.budgetId, 200_000_000, 500_000_000],
      ]);
      expect(await ledger.settle('crashed', 200_000_000)).toEqual([]);
    });

    it('expires a reservation on real time with a short TTL', async () => {
      const realTime = await factory(systemClock);
      try {
        const budget = newBudget(usd, { at: Date.now() });
        await realTime.defineBudgets([budget]);
        const realLedger = realTime.ledgers[0]!;
        await realLedger.reserve({
          reservationId: 'short',
          budgets: [budget],
          amountNanoUsd: usd,
          ttlMs: 150,
        });
        const [held] = await realLedger.levels([budget]);
        expect(held!.reservedNanoUsd).toBe(usd);
        await sleep(300);
        const [released] = await realLedger.levels([budget]);
        expect(released!.reservedNanoUsd).toBe(0);
      } finally {
        await realTime.cleanup();
      }
    });

    it('starts a new period from zero', async () => {
      const daily = await defineBudget(usd, { period: 'day' });
      await reserve([daily], 'today', 400_000_000);
      await ledger.settle('today', 400_000_000);
      expect(await reserve([daily], 'today-too-much', 700_000_000)).toMatchObject({ ok: false });

      clock.set(daily.resetsAt! + 1);
      const tomorrow: BudgetCounter = { ...daily, ...currentBudgetPeriod('day', clock.now()) };
      expect(tomorrow.periodKey).toBe('2026-11-25');
      expect(await level(tomorrow)).toEqual({ spent: 0, reserved: 0 });
      expect(await reserve([tomorrow], 'tomorrow', usd)).toEqual({ ok: true });
      expect((await ledger.settle('tomorrow', 250_000_000))[0]).toMatchObject({
        periodKey: '2026-11-25',
        spentNanoUsd: 250_000_000,
        reservedNanoUsd: 0,
      });
    });

    it('never resets a budget whose period is total', async () => {
      const lifetime = await defineBudget(usd, { period: 'total' });
      expect(lifetime.periodKey).toBe('total');
      await reserve([lifetime], 'early', 600_000_000);
      await ledger.settle('early', 600_000_000);
      clock.advance(400 * 24 * 60 * 60 * 1000);
      expect(await level(lifetime)).toEqual({ spent: 600_000_000, reserved: 0 });
      expect(await reserve([lifetime], 'late', 500_000_000)).toMatchObject({ ok: false });
    });

    it('raises spent to at least a reconciled value, never lowering it', async () => {
      const budget = await defineBudget(usd);
      await ledger.raiseSpent(budget, 700_000_000);
      expect(await level(budget)).toEqual({ spent: 700_000_000, reserved: 0 });
      await ledger.raiseSpent(budget, 500_000_000);
      expect(await level(budget)).toEqual({ spent: 700_000_000, reserved: 0 });
      expect(await reserve([budget], 'over', 400_000_000)).toMatchObject({
        ok: false,
        spentNanoUsd: 700_000_000,
      });
      expect(await reserve([budget], 'fits', 300_000_000)).toEqual({ ok: true });
    });

    it('reads levels in the order asked, with budgets never used at zero', async () => {
      const used = await defineBudget(usd);
      const unused = await defineBudget(2 * usd, { scope: 'api_key' });
      await reserve([used], 'some', 1_000);
      const levels = await ledger.levels([unused, used]);
      expect(levels).toEqual([
        {
          budgetId: unused.budgetId,
          periodKey: unused.periodKey,
          spentNanoUsd: 0,
          reservedNanoUsd: 0,
          limitNanoUsd: 2 * usd,
        },
        {
          budgetId: used.budgetId,
          periodKey: used.periodKey,
          spentNanoUsd: 0,
          reservedNanoUsd: 1_000,
          limitNanoUsd: usd,
        },
      ]);
    });

    it('keeps exact totals through a storm of overlapping reservations, settles, releases and expiries', async () => {
      const budgets = [
        await defineBudget(1_000 * usd),
        await defineBudget(1_000 * usd, { scope: 'api_key' }),
        await defineBudget(1_000 * usd, { scope: 'api_key' }),
        await defineBudget(usd / 10, { scope: 'end_user' }),
      ];
      const random = seededRandom(20261124);
      const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
      const expectedSpent = new Map(budgets.map((budget) => [budget.budgetId, 0]));
      const plans = Array.from({ length: 300 }, (_, index) => ({
        index,
        // A random subset of one to three budgets, in a random order, so locks are taken in every order.
        budgets: [...budgets].sort(() => random() - 0.5).slice(0, 1 + Math.floor(random() * 3)),
        amount: 1 + Math.floor(random() * 20_000_000),
        ttlMs: pick([50, 60_000]),
        ending: pick(['settle', 'settle', 'release', 'abandon', 'settle-twice'] as const),
        actual: Math.floor(random() * 20_000_000),
      }));
      await Promise.all(
        plans.map(async (plan) => {
          const replica = underTest.ledgers[plan.index % underTest.ledgers.length]!;
          const id = `storm-${plan.index}`;
          const outcome = await replica.reserve({
            reservationId: id,
            budgets: plan.budgets,
            amountNanoUsd: plan.amount,
            ttlMs: plan.ttlMs,
          });
          if (plan.index % 10 === 0) clock.advance(20);
          if (!outcome.ok || plan.ending === 'abandon') return;
          if (plan.ending === 'release') {
            await replica.release(id);
            return;
          }
          const settlements = plan.ending === 'settle-twice' ? [id, id] : [id];
          const results = await Promise.all(
            settlements.map((reservationId) => replica.settle(reservationId, plan.actual)),
          );
          const charged = results.filter((levels) => levels.length > 0);
          expect(charged).toHaveLength(1);
          for (const level of charged[0]!) {
            expectedSpent.set(level.budgetId, expectedSpent.get(level.budgetId)! + plan.actual);
          }
        }),
      );
      clock.advance(60_000);
      const levels = await ledger.levels(budgets);
      expect(levels.map((level) => [level.budgetId, level.spentNanoUsd, level.reservedNanoUsd])).toEqual(
        budgets.map((budget) => [budget.budgetId, expectedSpent.get(budget.budgetId), 0]),
      );
    });

    it('accepts a limit beyond 2^53 nano-USD, as a $1,000,000,000 budget has', async () => {
      const huge = await defineBudget(1_000_000_000 * usd);
      expect(await reserve([huge], 'big', 5 * usd)).toEqual({ ok: true });
      expect(await ledger.settle('big', 4 * usd)).toMatchObject([
        { spentNanoUsd: 4 * usd, reservedNanoUsd: 0, limitNanoUsd: 1_000_000_000 * usd },
      ]);
    });

    it('rejects amounts that are not whole non-negative nano-USD', async () => {
      const budget = await defineBudget(usd);
      await expect(reserve([budget], 'fraction', 1.5)).rejects.toThrow(/amountNanoUsd/);
      await expect(reserve([budget], 'negative', -1)).rejects.toThrow(/amountNanoUsd/);
      await expect(ledger.settle('any', Number.NaN)).rejects.toThrow(/actualNanoUsd/);
      await expect(
        ledger.reserve({ reservationId: 'x', budgets: [budget], amountNanoUsd: 1, ttlMs: 0 }),
      ).rejects.toThrow(/ttlMs/);
    });
  });
}
