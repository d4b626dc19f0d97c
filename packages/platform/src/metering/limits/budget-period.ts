import type { BudgetPeriod } from './limits-types.ts';

const dayKey = /^(\d{4})-(\d{2})-(\d{2})$/;
const monthKey = /^(\d{4})-(\d{2})$/;

/**
 * When the period a counter's `periodKey` names began (epoch ms, UTC), or null for 'total'.
 * '2026-11-24' is that day from 00:00 UTC; '2026-11' is that month from the 1st, 00:00 UTC.
 */
export function periodStartOf(periodKey: string): number | null {
  if (periodKey === 'total') return null;
  const day = dayKey.exec(periodKey);
  if (day) return checked(periodKey, Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
  const month = monthKey.exec(periodKey);
  if (month) return checked(periodKey, Date.UTC(Number(month[1]), Number(month[2]) - 1, 1));
  throw new Error(`periodKey must be 'total', YYYY-MM or YYYY-MM-DD, got '${periodKey}'`);
}

function checked(periodKey: string, start: number): number {
  // why: Date.UTC rolls '2026-02-31' over into March; a key must name a real day.
  const canonical = new Date(start).toISOString().slice(0, periodKey.length);
  if (canonical !== periodKey) throw new Error(`periodKey '${periodKey}' names no calendar period`);
  return start;
}

/**
 * The current period of a budget in UTC: its `periodKey` and when it ends (`resetsAt`, epoch ms;
 * null for 'total'). Both ledgers read periods this way, so build BudgetCounters with it.
 */
export function currentBudgetPeriod(
  period: BudgetPeriod,
  now: number,
): { periodKey: string; resetsAt: number | null } {
  const date = new Date(now);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  if (period === 'day') {
    return {
      periodKey: date.toISOString().slice(0, 10),
      resetsAt: Date.UTC(year, month, date.getUTCDate() + 1),
    };
  }
  if (period === 'month') {
    return { periodKey: date.toISOString().slice(0, 7), resetsAt: Date.UTC(year, month + 1, 1) };
  }
  return { periodKey: 'total', resetsAt: null };
}
