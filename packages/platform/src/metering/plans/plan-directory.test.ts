import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, migrateDatabase, openDatabase } from '../../storage/db/index.ts';
import { createMemoryEventBus } from '../../storage/pubsub/index.ts';
import { systemClock } from '../../support/index.ts';
import { createPlanDirectory } from './plan-directory.ts';
import { planFieldsSchema } from './plan-fields-schema.ts';
import { deletePlan, putPlan } from './plan-repository.ts';
import { seedPlans } from './seed-plans.ts';

let database: Database;

beforeAll(async () => {
  database = await openDatabase({ dataDirectory: 'memory://' });
  await migrateDatabase(database);
  await seedPlans(database, {});
});

afterAll(async () => {
  await database.close();
});

describe('plan directory', () => {
  it('serves plans from memory and picks up changes by announcement and by poll', async () => {
    const eventBus = createMemoryEventBus();
    const options = { database, eventBus, clock: systemClock, pollIntervalMs: 50 };
    const here = createPlanDirectory(options);
    const replica = createPlanDirectory({ ...options, eventBus: createMemoryEventBus(), pollIntervalMs: 20 });
    await here.start();
    await replica.start();
    expect(here.list().map((plan) => plan.id)).toEqual(['free', 'basic', 'premium', 'enterprise']);
    expect(here.get('basic')?.monthlyRequestQuota).toBe(10_000);

    await putPlan(database, 'basic', planFieldsSchema.parse({ monthly_request_quota: 11_000 }));
    await here.announceChange();
    expect(here.get('basic')?.monthlyRequestQuota).toBe(11_000);
    // The replica shares no event bus: its poll sees the new fingerprint.
    await expect.poll(() => replica.get('basic')?.monthlyRequestQuota, { timeout: 2000 }).toBe(11_000);

    await putPlan(database, 'temporary', planFieldsSchema.parse({}));
    await here.announceChange();
    expect(here.get('temporary')).toBeDefined();
    await deletePlan(database, 'temporary');
    await expect.poll(() => replica.get('temporary'), { timeout: 2000 }).toBeUndefined();

    await here.close();
    await replica.close();
    await eventBus.close();
  });
});
