import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, migrateDatabase, openDatabase, type Queryable } from '../../storage/db/index.ts';
import { createMemoryJobQueue, type JobData, type JobQueue } from '../../storage/queue/index.ts';
import { createOrganization } from '../../tenancy/index.ts';
import type { BudgetLevel } from '../limits/limits-types.ts';
import {
  alertDeliveryQueue,
  checkBudgetAlerts,
  createBudgetAlertChecker,
  crossedThresholds,
  listBudgetAlerts,
} from './budget-alerts.ts';
import { planBudgetId } from './budget-counters.ts';
import { createBudget, deleteBudget } from './budget-repository.ts';

let database: Database;
let organizationId: string;
const now = Date.parse('2026-11-24T12:00:00Z');

beforeAll(async () => {
  database = await openDatabase({ dataDirectory: 'memory://' });
  await migrateDatabase(database);
  organizationId = (await createOrganization(database, { name: 'alerts' })).id;
});

afterAll(async () => {
  await database.close();
});

/** A queue that records what was enqueued (the in-process queue underneath keeps the dedupe rules). */
function recordingQueue(): JobQueue & { enqueued: Array<{ jobId: string | undefined; data: JobData }> } {
  const inner = createMemoryJobQueue();
  const enqueued: Array<{ jobId: string | undefined; data: JobData }> = [];
  return {
    ...inner,
    enqueued,
    async enqueue(queue, data, options) {
      expect(queue).toBe(alertDeliveryQueue);
      const outcome = await inner.enqueue(queue, data, options);
      if (!outcome.deduplicated) enqueued.push({ jobId: options?.jobId, data });
      return outcome;
    },
  };
}

async function newBudget(subject: string, limitUsd = '10', period: 'day' | 'month' | 'total' = 'month') {
  return createBudget(database, organizationId, { scope: 'end_user', subject, limitUsd, period }, now);
}

const level = (budgetId: string, spentUsd: number, periodKey = '2026-11'): BudgetLevel => ({
  budgetId,
  periodKey,
  spentNanoUsd: Math.round(spentUsd * 1e9),
  reservedNanoUsd: 0,
  limitNanoUsd: 10e9,
});

describe('budget alerts', () => {
  it('computes crossings exactly, on spend only', () => {
    const at = (spent: number) => crossedThresholds({ ...level('b', 0), spentNanoUsd: spent }, [50, 80, 100]);
    expect(at(4_999_999_999)).toEqual([]);
    expect(at(5_000_000_000)).toEqual([50]);
    expect(at(9_999_999_999)).toEqual([50, 80]);
    expect(at(10_000_000_000)).toEqual([50, 80, 100]);
    expect(crossedThresholds({ ...level('b', 0), reservedNanoUsd: 10e9 }, [50])).toEqual([]);
  });

  it('fires each threshold once per budget and period, and enqueues one delivery per new alert', async () => {
    const budget = await newBudget('once');
    const queue = recordingQueue();
    const check = (spent: number, periodKey?: string) =>
      checkBudgetAlerts({ database, queue, levels: [level(budget.id, spent, periodKey)] });

    expect(await check(4.99)).toEqual([]);
    const first = await check(5.5);
    expect(first.map((alert) => alert.threshold)).toEqual([50]);
    expect(first[0]).toMatchObject({ spentUsd: '5.5', limitUsd: '10', organizationId, deliveredAt: null });
    expect(await check(6)).toEqual([]);
    expect((await check(10.2)).map((alert) => alert.threshold).sort()).toEqual([100, 80]);
    expect(await check(11)).toEqual([]);
    expect(queue.enqueued.map((entry) => entry.jobId)).toEqual([
      `${budget.id}:2026-11:50`,
      expect.stringMatching(new RegExp(`^${budget.id}:2026-11:(80|100)$`)),
      expect.stringMatching(new RegExp(`^${budget.id}:2026-11:(80|100)$`)),
    ]);
    expect(queue.enqueued[0]?.data).toEqual({
      budgetId: budget.id,
      periodStart: '2026-11-01T00:00:00.000Z',
      threshold: 50,
    });
    // A new period fires again.
    expect((await check(5, '2026-12')).map((alert) => alert.periodStart.toISOString())).toEqual([
      '2026-12-01T00:00:00.000Z',
    ]);
    const listed = await listBudgetAlerts(database, organizationId, { limit: 10, budgetId: budget.id });
    expect(listed).toHaveLength(4);
    expect(new Set(listed.map((alert) => alert.id)).size).toBe(4);
    await queue.close();
  });

  it('fires once across replicas checking the same levels at once', async () => {
    const budget = await newBudget('replicas');
    const queues = [recordingQueue(), recordingQueue(), recordingQueue()];
    const outcomes = await Promise.all(
      queues.map((queue) => checkBudgetAlerts({ database, queue, levels: [level(budget.id, 8.5)] })),
    );
    expect(
      outcomes
        .flat()
        .map((alert) => alert.threshold)
        .sort(),
    ).toEqual([50, 80]);
    expect(queues.flatMap((queue) => queue.enqueued)).toHaveLength(2);
    for (const queue of queues) await queue.close();
  });

  it('uses each budget’s thresholds, and skips plan budgets and deleted budgets', async () => {
    const custom = await createBudget(
      database,
      organizationId,
      { scope: 'end_user', subject: 'custom', limitUsd: '10', period: 'month', alertThresholds: [25, 90] },
      now,
    );
    const deleted = await newBudget('deleted');
    await deleteBudget(database, organizationId, deleted.id);
    const queue = recordingQueue();
    const alerts = await checkBudgetAlerts({
      database,
      queue,
      levels: [level(custom.id, 9.5), level(deleted.id, 9.5), level(planBudgetId(organizationId), 9.5)],
    });
    expect(alerts.map((alert) => [alert.budgetId, alert.threshold]).sort()).toEqual([
      [custom.id, 25],
      [custom.id, 90],
    ]);
    await queue.close();
  });

  it('remembers fired alerts in the checker, so a hot budget costs no query per request', async () => {
    const budget = await newBudget('hot');
    let statements = 0;
    const counting: Queryable = {
      query(sql, params) {
        statements += 1;
        return database.query(sql, params);
      },
    };
    const queue = recordingQueue();
    const errors: unknown[] = [];
    const checker = createBudgetAlertChecker({
      database: counting,
      queue,
      thresholdsFor: (budgetId) => (budgetId === budget.id ? [50, 80, 100] : undefined),
      onError: (error) => errors.push(error),
    });
    expect(await checker.check([level(budget.id, 1)])).toEqual([]);
    expect(statements).toBe(0);
    expect(await checker.check([level(budget.id, 6)])).toHaveLength(1);
    const afterFirstAlert = statements;
    for (let request = 0; request < 20; request += 1)
      await checker.check([level(budget.id, 6 + request * 0.01)]);
    expect(statements).toBe(afterFirstAlert);
    expect(await checker.check([level(budget.id, 8)])).toHaveLength(1);
    expect(errors).toEqual([]);
    await queue.close();
  });

  it('reports a failed enqueue after recording the alert (the sweep delivers it later)', async () => {
    const budget = await newBudget('unqueued');
    const queue = createMemoryJobQueue();
    await queue.close();
    await expect(checkBudgetAlerts({ database, queue, levels: [level(budget.id, 5)] })).rejects.toThrow(
      /closed/,
    );
    expect(await listBudgetAlerts(database, organizationId, { limit: 5, budgetId: budget.id })).toHaveLength(
      1,
    );
  });
});
