import { type BudgetSubject, durableSpendNanoUsd } from '../../metering/budgets/index.ts';
import type { BudgetCounter, SpendLedger } from '../../metering/limits/index.ts';
import type { Queryable } from '../../storage/db/index.ts';
import type { Clock } from '../../support/index.ts';

export interface BudgetReconciler {
  /**
   * Reconciles each counter with the usage records: on its first use in this process before the
   * request goes on (a restart, a flushed Redis), and then at most once per interval in the background.
   */
  reconcile(budgets: readonly BudgetCounter[], subject: BudgetSubject): Promise<void>;
}

/**
 * The live counters are fast but can be lost (an in-process store after a restart, a flushed or
 * evicting Redis); the usage records are durable. Where the records show more spend than the
 * counter holds as spent and reserved together, the counter is raised to the records: the stricter
 * value wins. Spend counted in both (a record committed whose reservation is still held) is never a
 * drift, so steady traffic is not double counted.
 */
export function createBudgetReconciler(options: {
  database: Queryable;
  ledger: SpendLedger;
  clock: Clock;
  intervalMs: () => number;
  maxTracked?: number;
  onDrift?: (budget: BudgetCounter, fromNanoUsd: number, toNanoUsd: number) => void;
  onChecked?: (raised: boolean) => void;
  onError?: (error: unknown) => void;
}): BudgetReconciler {
  const maxTracked = options.maxTracked ?? 100_000;
  /** Counter (budget and period) → when it was last reconciled, oldest first. */
  const reconciledAt = new Map<string, number>();
  const running = new Map<string, Promise<void>>();

  async function reconcileOne(budget: BudgetCounter, subject: BudgetSubject): Promise<void> {
    const durable = await durableSpendNanoUsd(options.database, budget, subject);
    const [level] = await options.ledger.levels([budget]);
    const live = level ? level.spentNanoUsd + level.reservedNanoUsd : 0;
    const raised = durable > live;
    if (raised) {
      await options.ledger.raiseSpent(budget, durable);
      options.onDrift?.(budget, live, durable);
    }
    options.onChecked?.(raised);
  }

  function track(key: string): void {
    reconciledAt.delete(key);
    reconciledAt.set(key, options.clock.now());
    if (reconciledAt.size > maxTracked) {
      const oldest = reconciledAt.keys().next().value;
      if (oldest !== undefined) reconciledAt.delete(oldest);
    }
  }

  function start(key: string, budget: BudgetCounter, subject: BudgetSubject): Promise<void> {
    let pending = running.get(key);
    if (!pending) {
      pending = reconcileOne(budget, subject)
        .then(() => track(key))
        .finally(() => running.delete(key));
      running.set(key, pending);
    }
    return pending;
  }

  return {
    async reconcile(budgets, subject) {
      const first: Promise<void>[] = [];
      const now = options.clock.now();
      for (const budget of budgets) {
        const key = `${budget.budgetId}|${budget.periodKey}`;
        const last = reconciledAt.get(key);
        if (last === undefined) first.push(start(key, budget, subject));
        else if (now - last >= options.intervalMs() && !running.has(key)) {
          start(key, budget, subject).catch((error: unknown) => options.onError?.(error));
        }
      }
      if (first.length > 0) await Promise.all(first);
    },
  };
}
