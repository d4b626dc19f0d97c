import { afterAll, describe, expect, it } from 'vitest';
import { deleteRedisKeysWithPrefix } from '../../../test/support/redis-test-support.ts';
import { redisAvailable, testRedisUrl, uniqueRedisPrefix } from '../../../test/support/services.ts';
import { createMemoryKeyValueStore, createRedisKeyValueStore } from '../../storage/kv/index.ts';
import { currentBudgetPeriod } from './budget-period.ts';
import { createKeyValueSpendLedger } from './key-value-spend-ledger.ts';
import type { BudgetCounter } from './limits-types.ts';
import { runSpendLedgerContract } from './spend-ledger.contract.ts';
import { createManualClock } from './test-clock.ts';

runSpendLedgerContract('key-value, in process', async (clock) => {
  const keyValueStore = createMemoryKeyValueStore({ clock });
  return {
    ledgers: [
      createKeyValueSpendLedger({ keyValueStore, clock }),
      createKeyValueSpendLedger({ keyValueStore, clock }),
    ],
    defineBudgets: async () => {},
    cleanup: () => keyValueStore.close(),
  };
});

describe('key-value spend ledger specifics', () => {
  const usd = 1_000_000_000;
  const dayMs = 24 * 60 * 60 * 1000;

  it('settles its own reservation in one store operation, and another process reads the record first', async () => {
    const clock = createManualClock(Date.UTC(2026, 10, 24, 12));
    const memory = createMemoryKeyValueStore({ clock });
    const operations: string[] = [];
    const keyValueStore = {
      ...memory,
      runAtomic: ((operation, keys, args) => {
        operations.push(operation.name);
        return memory.runAtomic(operation, keys, args);
      }) as typeof memory.runAtomic,
    };
    const mine = createKeyValueSpendLedger({ keyValueStore, clock });
    const other = createKeyValueSpendLedger({ keyValueStore, clock });
    const budget: BudgetCounter = {
      budgetId: 'monthly',
      scope: 'organization',
      limitNanoUsd: usd,
      ...currentBudgetPeriod('month', clock.now()),
    };
    for (const reservationId of ['own', 'foreign']) {
      await mine.reserve({ reservationId, budgets: [budget], amountNanoUsd: 100_000_000, ttlMs: 60_000 });
    }
    operations.length = 0;
    expect(await mine.settle('own', 40_000_000)).toMatchObject([{ spentNanoUsd: 40_000_000 }]);
    expect(operations).toEqual(['spend-finish']);
    operations.length = 0;
    expect(await other.settle('foreign', 60_000_000)).toMatchObject([
      { spentNanoUsd: 100_000_000, reservedNanoUsd: 0 },
    ]);
    expect(operations).toEqual(['spend-read-reservation', 'spend-finish']);
    // Settled once: a second settle by the process that made it finds the record gone.
    expect(await mine.settle('foreign', 60_000_000)).toEqual([]);
    await memory.close();
  });

  it('settles a hold made before a period ended into that period', async () => {
    const clock = createManualClock(Date.UTC(2026, 10, 24, 23, 59));
    const keyValueStore = createMemoryKeyValueStore({ clock });
    const ledger = createKeyValueSpendLedger({ keyValueStore, clock });
    const today: BudgetCounter = {
      budgetId: 'daily',
      scope: 'api_key',
      limitNanoUsd: usd,
      ...currentBudgetPeriod('day', clock.now()),
    };
    await ledger.reserve({
      reservationId: 'late',
      budgets: [today],
      amountNanoUsd: 300_000_000,
      ttlMs: 600_000,
    });
    clock.advance(2 * 60_000);
    const tomorrow = { ...today, ...currentBudgetPeriod('day', clock.now()) };
    expect(await ledger.levels([tomorrow])).toMatchObject([{ spentNanoUsd: 0, reservedNanoUsd: 0 }]);
    expect(await ledger.settle('late', 250_000_000)).toEqual([
      {
        budgetId: 'daily',
        periodKey: '2026-11-24',
        spentNanoUsd: 250_000_000,
        reservedNanoUsd: 0,
        limitNanoUsd: usd,
      },
    ]);
    await keyValueStore.close();
  });

  it('expires day and month counters a while after their period, never total ones, and forgets settled reservations', async () => {
    const clock = createManualClock(Date.UTC(2026, 10, 24, 12));
    const keyValueStore = createMemoryKeyValueStore({ clock });
    const ledger = createKeyValueSpendLedger({ keyValueStore, clock, periodRetentionMs: dayMs });
    const daily: BudgetCounter = {
      budgetId: 'd',
      scope: 'api_key',
      limitNanoUsd: usd,
      ...currentBudgetPeriod('day', clock.now()),
    };
    const lifetime: BudgetCounter = {
      budgetId: 't',
      scope: 'organization',
      limitNanoUsd: usd,
      ...currentBudgetPeriod('total', clock.now()),
    };
    await ledger.reserve({ reservationId: 'r', budgets: [daily, lifetime], amountNanoUsd: 10, ttlMs: 1_000 });
    expect(await keyValueStore.timeToLiveMs('spend:d:2026-11-24')).toBe(12 * 60 * 60 * 1000 + dayMs);
    expect(await keyValueStore.timeToLiveMs('spend:d:2026-11-24:holds')).toBe(12 * 60 * 60 * 1000 + dayMs);
    expect(await keyValueStore.timeToLiveMs('spend:t:total')).toBeNull();
    expect(await keyValueStore.timeToLiveMs('spend-reservation:r')).toBe(1_000 + dayMs);
    await ledger.settle('r', 7);
    expect(await keyValueStore.timeToLiveMs('spend-reservation:r')).toBeNull();
    // The settled hold left no trace in the holds index, so it is gone too.
    expect(await keyValueStore.timeToLiveMs('spend:d:2026-11-24:holds')).toBeNull();
    clock.advance(12 * 60 * 60 * 1000 + dayMs);
    expect(await ledger.levels([daily, lifetime])).toMatchObject([{ spentNanoUsd: 0 }, { spentNanoUsd: 7 }]);
    await keyValueStore.close();
  });
});

const redis = await redisAvailable();
const suitePrefix = uniqueRedisPrefix('spend-ledger');
let ledgerCount = 0;

describe.runIf(redis)('key-value spend ledger on Redis', () => {
  afterAll(async () => {
    expect(await deleteRedisKeysWithPrefix(testRedisUrl, suitePrefix)).toBe(0);
  });

  runSpendLedgerContract('key-value, Redis with four clients', async (clock) => {
    ledgerCount += 1;
    const keyPrefix = `${suitePrefix}${ledgerCount}:`;
    // why: four clients act as four replicas, so concurrency crosses connections as in production.
    const stores = Array.from({ length: 4 }, () =>
      createRedisKeyValueStore({ url: testRedisUrl, keyPrefix }),
    );
    return {
      ledgers: stores.map((keyValueStore) => createKeyValueSpendLedger({ keyValueStore, clock })),
      defineBudgets: async () => {},
      async cleanup() {
        await Promise.all(stores.map((store) => store.close()));
        await deleteRedisKeysWithPrefix(testRedisUrl, keyPrefix);
      },
    };
  });
});
