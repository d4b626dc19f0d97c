import type { Queryable } from '../storage/db/index.ts';
import type { Clock } from '../support/index.ts';

/** How often a running platform makes sure next months' partitions exist. */
const upkeepIntervalMs = 6 * 3_600_000;

/**
 * Creates the monthly partitions of `usage_records` for the month of `at` and the `monthsAhead`
 * months after it that do not exist yet (migration 25's `kimi_ensure_usage_partitions`, which runs
 * as the schema owner, so the restricted role may call it). Returns how many it created.
 */
export async function ensureUsagePartitions(
  database: Queryable,
  at: Date,
  monthsAhead: number,
): Promise<number> {
  const result = await database.query<{ created: number }>(
    'SELECT kimi_ensure_usage_partitions($1, $2) AS created',
    [at, monthsAhead],
  );
  return result.rows[0]?.created ?? 0;
}

export interface UsagePartitionUpkeep {
  stop(): void;
}

/**
 * Makes the coming months' partitions now (start-up) and then every six hours, so records land in
 * their month's partition rather than the default one. A failure is reported, never thrown: inserts
 * still succeed into the default partition, and a later run moves the rows of each month it creates
 * out of it.
 */
export async function startUsagePartitionUpkeep(options: {
  database: Queryable;
  clock: Clock;
  monthsAhead: number;
  onCreated?: (created: number) => void;
  onError: (error: unknown) => void;
}): Promise<UsagePartitionUpkeep> {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const run = async () => {
    try {
      const created = await ensureUsagePartitions(
        options.database,
        new Date(options.clock.now()),
        options.monthsAhead,
      );
      if (created > 0) options.onCreated?.(created);
    } catch (error) {
      options.onError(error);
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void run().finally(schedule), upkeepIntervalMs);
    timer.unref();
  };
  await run();
  schedule();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
