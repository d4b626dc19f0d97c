import type { BudgetPeriod, BudgetScope } from '../limits/limits-types.ts';

/** The thresholds (percent of the limit) that raise an alert when none are given. */
export const defaultAlertThresholds: readonly number[] = [50, 80, 100];

/** One budget as stored, with its durable ledger (spent/reserved of the period starting `periodStart`). */
export interface Budget {
  id: string;
  organizationId: string;
  scope: BudgetScope;
  /** The organisation id, an API key id of it, or the end-user string requests carry in `user`. */
  subject: string;
  /** Decimal text, at most 9 decimals. */
  limitUsd: string;
  period: BudgetPeriod;
  alertThresholds: number[];
  periodStart: Date;
  spentUsd: string;
  reservedUsd: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A budget to create; the organisation comes from the caller's context, not from here. */
export interface NewBudgetInput {
  scope: BudgetScope;
  subject: string;
  limitUsd: string;
  period: BudgetPeriod;
  alertThresholds?: readonly number[];
}

/** A change to a budget; scope and subject are fixed once created. */
export interface BudgetChange {
  limitUsd?: string;
  period?: BudgetPeriod;
  alertThresholds?: readonly number[];
}
