import { calendarMonthOf, monthlyRequestsUsed } from '../../metering/plans/index.ts';
import type { Queryable } from '../../storage/db/index.ts';
import type { RequestQuotaCounter } from './request-quota-counter.ts';

export type QuotaTake = { ok: true; monthKey: string } | { ok: false; monthKey: string; resetsAt: number };

/** Monthly request quotas: a live counter per organisation and month, seeded from the usage records. */
export interface MonthlyQuota {
  take(organizationId: string, quota: number, now: number): Promise<QuotaTake>;
  /** Gives back a request that never reached a provider. */
  giveBack(organizationId: string, monthKey: string): Promise<void>;
}

const dayMs = 86_400_000;

/**
 * The counter lives in the kv store (shared by replicas with Redis). The first time this process
 * sees an organisation in a month it raises the counter to what the usage records count, so a
 * restart or a flushed store never hands out a month's quota twice.
 */
export function createMonthlyQuota(options: {
  counter: RequestQuotaCounter;
  database: Queryable;
  maxSeeded?: number;
}): MonthlyQuota {
  const maxSeeded = options.maxSeeded ?? 100_000;
  const seeded = new Map<string, Promise<void>>();

  function seed(organizationId: string, monthKey: string, now: number, ttlMs: number): Promise<void> {
    const key = `${organizationId}|${monthKey}`;
    let pending = seeded.get(key);
    if (!pending) {
      pending = monthlyRequestsUsed(options.database, organizationId, now).then(async (used) => {
        await options.counter.raiseTo(organizationId, monthKey, used, ttlMs);
      });
      pending.catch(() => seeded.delete(key));
      seeded.set(key, pending);
      if (seeded.size > maxSeeded) {
        const oldest = seeded.keys().next().value;
        if (oldest !== undefined) seeded.delete(oldest);
      }
    }
    return pending;
  }

  return {
    async take(organizationId, quota, now) {
      const month = calendarMonthOf(now);
      const monthKey = month.start.toISOString().slice(0, 7);
      const ttlMs = month.end.getTime() - now + dayMs;
      await seed(organizationId, monthKey, now, ttlMs);
      const used = await options.counter.take(organizationId, monthKey, quota, ttlMs);
      return used === null ? { ok: false, monthKey, resetsAt: month.end.getTime() } : { ok: true, monthKey };
    },
    giveBack: (organizationId, monthKey) => options.counter.giveBack(organizationId, monthKey),
  };
}
