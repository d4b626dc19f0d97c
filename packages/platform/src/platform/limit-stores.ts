import {
  createKeyValueRateLimiter,
  createKeyValueSpendLedger,
  createSqlSpendLedger,
  type RateLimiter,
  type SpendLedger,
} from '../metering/limits/index.ts';
import type { Database } from '../storage/db/index.ts';
import { createMemoryKeyValueStore, type KeyValueStore } from '../storage/kv/index.ts';
import type { Clock } from '../support/index.ts';
import type { Logger } from '../telemetry/index.ts';

/** Where budgets, rate limits, concurrency slots and quotas are counted. */
export interface LimitStores {
  keyValueStore: KeyValueStore;
  spendLedger: SpendLedger;
  rateLimiter: RateLimiter;
  close(): Promise<void>;
}

/** Counters must not be evicted like cache entries, so the in-process store gets a large bound. */
const inProcessMaxEntries = 2_000_000;

/**
 * - Redis configured: every counter in Redis, one Lua script per operation, shared by all replicas.
 * - PostgreSQL without Redis: budgets in PostgreSQL (one SQL statement per reservation, shared by
 *   replicas); rate limits, slots and quotas in this process (per replica: set REDIS_URL for exact
 *   limits across replicas).
 * - Embedded PGlite (one process by construction): everything in this process, each operation one
 *   synchronous step.
 */
export function createLimitStores(options: {
  database: Database;
  keyValueStore: KeyValueStore;
  clock: Clock;
  logger: Logger;
}): LimitStores {
  const { database, clock, logger } = options;
  const shared = options.keyValueStore.shared;
  const keyValueStore = shared
    ? options.keyValueStore
    : createMemoryKeyValueStore({ clock, maxEntries: inProcessMaxEntries });
  let spendLedger: SpendLedger;
  if (shared || database.singleProcess) {
    spendLedger = createKeyValueSpendLedger({ keyValueStore, clock });
  } else {
    spendLedger = createSqlSpendLedger({
      database,
      clock,
      onMissingBudget: (budgetIds) =>
        logger.debug({ budgets: budgetIds }, 'implicit plan budgets are enforced only with REDIS_URL'),
    });
    logger.info(
      'budgets are reserved in PostgreSQL; rate limits, concurrency and quotas are counted per process (set REDIS_URL to share them)',
    );
  }
  return {
    keyValueStore,
    spendLedger,
    rateLimiter: createKeyValueRateLimiter({ keyValueStore, clock }),
    async close() {
      await spendLedger.close();
      if (!shared) await keyValueStore.close();
    },
  };
}
