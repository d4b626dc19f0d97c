import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, migrateDatabase, openDatabase } from '../../storage/db/index.ts';
import { createMemoryEventBus } from '../../storage/pubsub/index.ts';
import { systemClock } from '../../support/index.ts';
import { createApiKey, createOrganization } from '../../tenancy/index.ts';
import { planFieldsSchema, putPlan, seedPlans, setOrganizationPlan } from '../plans/index.ts';
import { budgetsForRequest, planBudgetId } from './budget-counters.ts';
import { createBudgetDirectory } from './budget-directory.ts';
import { createBudget, deleteBudget, updateBudget } from './budget-repository.ts';

let database: Database;
const now = Date.parse('2026-11-24T12:00:00Z');

beforeAll(async () => {
  database = await openDatabase({ dataDirectory: 'memory://' });
  await migrateDatabase(database);
  await seedPlans(database, {});
});

afterAll(async () => {
  await database.close();
});

async function tenant(name: string) {
  const organizationId = (await createOrganization(database, { name })).id;
  const keyId = (await createApiKey(database, { organizationId, name: 'k', role: 'developer' })).apiKey.id;
  return { organizationId, keyId };
}

describe('budgets for a request', () => {
  it('picks the organisation, key and end-user budgets, as nano-USD counters of the current period', async () => {
    const { organizationId, keyId } = await tenant('counters');
    const organization = await createBudget(
      database,
      organizationId,
      { scope: 'organization', subject: organizationId, limitUsd: '100', period: 'month' },
      now,
    );
    const key = await createBudget(
      database,
      organizationId,
      { scope: 'api_key', subject: keyId, limitUsd: '2.5', period: 'day' },
      now,
    );
    const user = await createBudget(
      database,
      organizationId,
      { scope: 'end_user', subject: 'alice', limitUsd: '0.000000007', period: 'total' },
      now,
    );
    const counters = await budgetsForRequest(
      database,
      { organizationId, apiKeyId: keyId, teamId: null, endUser: 'alice' },
      now,
    );
    expect(counters).toEqual([
      {
        budgetId: organization.id,
        scope: 'organization',
        limitNanoUsd: 100_000_000_000,
        periodKey: '2026-11',
        resetsAt: Date.parse('2026-12-01T00:00:00Z'),
      },
      {
        budgetId: key.id,
        scope: 'api_key',
        limitNanoUsd: 2_500_000_000,
        periodKey: '2026-11-24',
        resetsAt: Date.parse('2026-11-25T00:00:00Z'),
      },
      { budgetId: user.id, scope: 'end_user', limitNanoUsd: 7, periodKey: 'total', resetsAt: null },
    ]);
    expect(
      await budgetsForRequest(
        database,
        { organizationId, apiKeyId: 'key_x', teamId: null, endUser: 'bob' },
        now,
      ),
    ).toHaveLength(1);
  });

  it('uses the plan’s monthly budget when the organisation has none of its own', async () => {
    const { organizationId, keyId } = await tenant('planned');
    await setOrganizationPlan(database, organizationId, 'basic');
    const request = { organizationId, apiKeyId: keyId, teamId: null, endUser: null };
    expect(await budgetsForRequest(database, request, now)).toEqual([
      {
        budgetId: planBudgetId(organizationId),
        scope: 'organization',
        limitNanoUsd: 49_000_000_000,
        periodKey: '2026-11',
        resetsAt: Date.parse('2026-12-01T00:00:00Z'),
      },
    ]);
    await createBudget(
      database,
      organizationId,
      { scope: 'organization', subject: organizationId, limitUsd: '10', period: 'month' },
      now,
    );
    const [explicit] = await budgetsForRequest(database, request, now);
    expect(explicit?.budgetId).toMatch(/^bud_/);
    await setOrganizationPlan(database, organizationId, 'enterprise');
    expect(
      await budgetsForRequest(
        database,
        { ...request, organizationId: (await tenant('none')).organizationId },
        now,
      ),
    ).toEqual([]);
  });
});

describe('budget directory', () => {
  it('caches per organisation and follows announcements and polls', async () => {
    const { organizationId, keyId } = await tenant('cached');
    const eventBus = createMemoryEventBus();
    const options = { database, eventBus, clock: systemClock, pollIntervalMs: 60_000, maxOrganizations: 10 };
    const directory = createBudgetDirectory(options);
    const replica = createBudgetDirectory({
      ...options,
      eventBus: createMemoryEventBus(),
      pollIntervalMs: 20,
    });
    await directory.start();
    await replica.start();
    const request = { organizationId, apiKeyId: keyId, teamId: null, endUser: 'carol' };

    expect(await directory.budgetsForRequest(request, now)).toEqual([]);
    expect(await replica.budgetsForRequest(request, now)).toEqual([]);
    const budget = await createBudget(
      database,
      organizationId,
      { scope: 'end_user', subject: 'carol', limitUsd: '3', period: 'day', alertThresholds: [10, 90] },
      now,
    );
    // Cached until told: no database read per request.
    expect(await directory.budgetsForRequest(request, now)).toEqual([]);
    await directory.announceChange(organizationId);
    expect((await directory.budgetsForRequest(request, now)).map((counter) => counter.budgetId)).toEqual([
      budget.id,
    ]);
    expect(directory.thresholdsFor(budget.id)).toEqual([10, 90]);
    // The replica hears nothing (separate event bus) but polls.
    await expect
      .poll(async () => (await replica.budgetsForRequest(request, now)).length, { timeout: 2000 })
      .toBe(1);

    await updateBudget(database, organizationId, budget.id, { limitUsd: '4' }, now);
    await expect
      .poll(async () => (await replica.budgetsForRequest(request, now))[0]?.limitNanoUsd, { timeout: 2000 })
      .toBe(4_000_000_000);

    await setOrganizationPlan(database, organizationId, 'free');
    await expect
      .poll(async () => (await replica.budgetsForRequest(request, now)).length, { timeout: 2000 })
      .toBe(2);
    await putPlan(database, 'free', planFieldsSchema.parse({ monthly_budget_usd: 2 }));
    await expect
      .poll(async () => (await replica.budgetsForRequest(request, now))[0]?.limitNanoUsd, { timeout: 2000 })
      .toBe(2_000_000_000);

    await deleteBudget(database, organizationId, budget.id);
    await directory.announceChange(organizationId);
    expect(await directory.budgetsForRequest(request, now)).toHaveLength(1);
    expect(directory.thresholdsFor(budget.id)).toBeUndefined();

    await directory.close();
    await replica.close();
    await eventBus.close();
  });

  it('keeps at most maxOrganizations in memory', async () => {
    const directory = createBudgetDirectory({
      database,
      eventBus: createMemoryEventBus(),
      clock: systemClock,
      pollIntervalMs: 60_000,
      maxOrganizations: 2,
    });
    for (const name of ['a', 'b', 'c']) {
      const { organizationId } = await tenant(name);
      await directory.budgetsForRequest({ organizationId, apiKeyId: null, teamId: null, endUser: null }, now);
    }
    expect(directory.size()).toBe(2);
    await directory.close();
  });
});
