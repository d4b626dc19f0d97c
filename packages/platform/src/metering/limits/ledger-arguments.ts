import type { BudgetCounter, ReservationRequest } from './limits-types.ts';

/** Throws unless `value` is a whole, non-negative number of nano-USD within 2⁵³. */
export function assertNanoUsd(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative safe integer of nano-USD, got ${value}`);
  }
}

/** Throws unless `value` is a non-empty identifier (it becomes part of keys and rows). */
export function assertIdentifier(name: string, value: string): void {
  if (typeof value !== 'string' || value.length === 0) throw new Error(`${name} must be a non-empty string`);
}

/**
 * Checks one counter as a reservation or a reading would use it. why a limit may pass 2⁵³ while
 * amounts may not: plans allow budgets up to $1,000,000,000, which is 10¹⁸ nano-USD; such a limit
 * is compared approximately (to 1 part in 10¹⁶) instead of failing every request on it.
 */
export function assertBudgetCounter(budget: BudgetCounter): void {
  assertIdentifier('budgetId', budget.budgetId);
  assertIdentifier('periodKey', budget.periodKey);
  const limit = budget.limitNanoUsd;
  if (!Number.isInteger(limit) || limit < 0 || limit >= 1e21) {
    throw new Error(
      `limitNanoUsd of budget ${budget.budgetId} must be a whole number of nano-USD, got ${limit}`,
    );
  }
}

/**
 * The budgets of a request without repeats (the first of each budget and period wins), in the
 * caller's order. why: one budget listed twice would otherwise hold the amount against itself twice.
 */
export function distinctBudgets(budgets: readonly BudgetCounter[]): BudgetCounter[] {
  const seen = new Set<string>();
  const distinct: BudgetCounter[] = [];
  for (const budget of budgets) {
    assertBudgetCounter(budget);
    const identity = JSON.stringify([budget.budgetId, budget.periodKey]);
    if (seen.has(identity)) continue;
    seen.add(identity);
    distinct.push(budget);
  }
  return distinct;
}

/** Checks a reservation and returns its budgets without repeats and its TTL in whole ms. */
export function checkedReservation(request: ReservationRequest): { budgets: BudgetCounter[]; ttlMs: number } {
  assertIdentifier('reservationId', request.reservationId);
  assertNanoUsd('amountNanoUsd', request.amountNanoUsd);
  if (!Number.isFinite(request.ttlMs) || request.ttlMs <= 0) {
    throw new Error(`ttlMs must be a positive number of milliseconds, got ${request.ttlMs}`);
  }
  return { budgets: distinctBudgets(request.budgets), ttlMs: Math.ceil(request.ttlMs) };
}
