import type { BudgetPeriod } from '../limits/limits-types.ts';

/** The period of a budget that contains a given instant, in UTC. */
export interface BudgetPeriodWindow {
  /** '2026-11-24' (day), '2026-11' (month) or 'total': a new key starts the counter from zero. */
  periodKey: string;
  start: Date;
  /** When the next period starts; null for 'total', which never resets. */
  resetsAt: Date | null;
}

/** The start of a 'total' budget's only period (the alerts table needs one). */
export const totalPeriodStart = new Date(0);

const twoDigits = (value: number) => String(value).padStart(2, '0');

/** The current period of a budget at `now` (epoch ms or a Date). Days and months are UTC. */
export function currentPeriod(period: BudgetPeriod, now: number | Date): BudgetPeriodWindow {
  const date = new Date(now);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  switch (period) {
    case 'day': {
      const day = date.getUTCDate();
      return {
        periodKey: `${year}-${twoDigits(month + 1)}-${twoDigits(day)}`,
        start: new Date(Date.UTC(year, month, day)),
        // why: Date.UTC rolls day 32 into the next month and month 12 into the next year.
        resetsAt: new Date(Date.UTC(year, month, day + 1)),
      };
    }
    case 'month':
      return {
        periodKey: `${year}-${twoDigits(month + 1)}`,
        start: new Date(Date.UTC(year, month, 1)),
        resetsAt: new Date(Date.UTC(year, month + 1, 1)),
      };
    case 'total':
      return { periodKey: 'total', start: totalPeriodStart, resetsAt: null };
  }
}

/** The start of the period a key names: '2026-11-24', '2026-11' or 'total'. */
export function periodStartOfKey(periodKey: string): Date {
  if (periodKey === 'total') return totalPeriodStart;
  const match = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(periodKey);
  if (!match) throw new Error(`'${periodKey}' is not a budget period key`);
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, match[3] ? Number(match[3]) : 1));
}
