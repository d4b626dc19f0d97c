import { errors } from '../../errors/index.ts';
import { requirePermission } from '../../identity/index.ts';
import {
  queryUsage,
  totalUsage,
  type UsageAggregate,
  type UsageCommittedNotice,
  type UsageGrouping,
  usageCommittedChannel,
} from '../../metering/index.ts';
import type { Database } from '../../storage/db/index.ts';
import type { EventBus, Unsubscribe } from '../../storage/pubsub/index.ts';
import type { Clock } from '../../support/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';

const dayMs = 86_400_000;
/** The longest range one query may aggregate. */
export const maximumUsageRangeDays = 400;

export interface UsageReport {
  organizationId: string;
  from: Date;
  to: Date;
  groupBy: UsageGrouping;
  rows: UsageAggregate[];
  totals: Omit<UsageAggregate, 'group'>;
}

/** The caller's organisation's usage from the ledger, aggregated by model, key or day. */
export interface UsageServices {
  /** `to` defaults to now, `from` to 30 days before `to`. */
  report(
    caller: AuthContext,
    query: { from?: Date; to?: Date; groupBy: UsageGrouping },
  ): Promise<UsageReport>;
  /**
   * Calls `onCommitted` each time usage records of the caller's organisation are committed
   * (`usage:read`); resolves once listening. At-most-once, like every event: `report` stays the
   * source of truth for totals.
   */
  follow(caller: AuthContext, onCommitted: (notice: UsageCommittedNotice) => void): Promise<Unsubscribe>;
}

const noticeOf = (message: string): UsageCommittedNotice => {
  try {
    const parsed = JSON.parse(message) as { requestIds?: unknown };
    const ids = Array.isArray(parsed.requestIds) ? parsed.requestIds : [];
    return { requestIds: ids.filter((id): id is string => typeof id === 'string') };
  } catch {
    return { requestIds: [] };
  }
};

export function createUsageServices(dependencies: {
  database: Database;
  clock: Clock;
  eventBus: Pick<EventBus, 'subscribe'>;
}): UsageServices {
  return {
    async follow(caller, onCommitted) {
      requirePermission(caller, 'usage:read', caller.organizationId, 'follow usage');
      return dependencies.eventBus.subscribe(usageCommittedChannel(caller.organizationId), (message) =>
        onCommitted(noticeOf(message)),
      );
    },
    async report(caller, query) {
      const to = query.to ?? new Date(dependencies.clock.now());
      const from = query.from ?? new Date(to.getTime() - 30 * dayMs);
      if (from.getTime() >= to.getTime()) {
        throw errors.invalidRequest('from', "'from' must be earlier than 'to'.");
      }
      if (to.getTime() - from.getTime() > maximumUsageRangeDays * dayMs) {
        throw errors.invalidRequest(
          'from',
          `The range may span at most ${maximumUsageRangeDays} days.`,
          'Query a shorter range.',
        );
      }
      const organizationId = caller.organizationId;
      const rows = await queryUsage(dependencies.database.forOrganization(organizationId), {
        organizationId,
        from,
        to,
        groupBy: query.groupBy,
      });
      return { organizationId, from, to, groupBy: query.groupBy, rows, totals: totalUsage(rows) };
    },
  };
}
