import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Database, migrateDatabase, openDatabase } from '../../storage/db/index.ts';
import { createApiKey, createOrganization } from '../../tenancy/index.ts';
import { builtInPlans } from './built-in-plans.ts';
import { planFieldsSchema } from './plan-fields-schema.ts';
import {
  deletePlan,
  findPlan,
  listPlans,
  planForOrganization,
  putPlan,
  setOrganizationPlan,
} from './plan-repository.ts';
import { seedPlans } from './seed-plans.ts';

let database: Database;

beforeAll(async () => {
  database = await openDatabase({ dataDirectory: 'memory://' });
  await migrateDatabase(database);
});

beforeEach(async () => {
  await database.query('UPDATE organizations SET plan_id = NULL');
  await database.query('DELETE FROM plans');
});

afterAll(async () => {
  await database.close();
});

describe('seedPlans', () => {
  it('writes the built-in plans once and is idempotent', async () => {
    const first = await seedPlans(database, {});
    expect(first.written.sort()).toEqual(['basic', 'enterprise', 'free', 'premium']);
    const before = await listPlans(database);
    expect(before.map((plan) => [plan.id, plan.rank, plan.source])).toEqual([
      ['free', 0, 'built-in'],
      ['basic', 1, 'built-in'],
      ['premium', 2, 'built-in'],
      ['enterprise', 3, 'built-in'],
    ]);
    expect(before[1]).toMatchObject({
      monthlyPriceUsd: '49',
      monthlyRequestQuota: 10_000,
      monthlyBudgetUsd: '49',
      rateLimits: { requestsPerMinute: 60 },
    });
    expect(before[3]).toMatchObject({
      monthlyPriceUsd: null,
      allowedModels: null,
      monthlyRequestQuota: null,
    });

    const second = await seedPlans(database, {});
    expect(second).toEqual({ written: [], unchanged: expect.any(Array), keptFromApi: [] });
    expect(second.unchanged).toHaveLength(4);
    const after = await listPlans(database);
    expect(after.map((plan) => plan.updatedAt.getTime())).toEqual(
      before.map((plan) => plan.updatedAt.getTime()),
    );
  });

  it('applies config plans over built-ins and adds new ones, idempotently', async () => {
    const config = {
      free: planFieldsSchema.parse({ monthly_request_quota: 200 }),
      team: planFieldsSchema.parse({
        name: 'Team',
        rank: 1,
        monthly_price_usd: 99,
        monthly_request_quota: 30_000,
        allowed_models: ['sim/*', 'gpt-4-class'],
        requests_per_minute: 120,
        monthly_budget_usd: '99.5',
      }),
    };
    const first = await seedPlans(database, config);
    expect(first.written).toContain('team');
    const free = await findPlan(database, 'free');
    expect(free).toMatchObject({ source: 'config', monthlyRequestQuota: 200, name: 'Free' });
    expect(free?.allowedModels).toEqual(builtInPlans[0]!.allowedModels);
    expect(await findPlan(database, 'team')).toMatchObject({
      source: 'config',
      monthlyPriceUsd: '99',
      monthlyBudgetUsd: '99.5',
      rateLimits: { requestsPerMinute: 120, tokensPerMinute: null, concurrentRequests: null },
    });
    expect((await seedPlans(database, config)).written).toEqual([]);

    // Removing the override from the config puts the built-in back.
    const reverted = await seedPlans(database, {});
    expect(reverted.written).toEqual(['free']);
    expect(await findPlan(database, 'free')).toMatchObject({ source: 'built-in', monthlyRequestQuota: 100 });
  });

  it('leaves plans changed through the API alone', async () => {
    await seedPlans(database, {});
    await putPlan(database, 'basic', planFieldsSchema.parse({ monthly_request_quota: 12_345 }));
    const outcome = await seedPlans(database, {
      basic: planFieldsSchema.parse({ monthly_request_quota: 1 }),
    });
    expect(outcome.keptFromApi).toEqual(['basic']);
    expect(await findPlan(database, 'basic')).toMatchObject({ source: 'api', monthlyRequestQuota: 12_345 });
  });

  it('seeds safely when replicas start together', async () => {
    const outcomes = await Promise.all([seedPlans(database, {}), seedPlans(database, {})]);
    expect(outcomes.flatMap((outcome) => outcome.written).sort()).toEqual([
      'basic',
      'enterprise',
      'free',
      'premium',
    ]);
  });
});

describe('plan repository', () => {
  it('creates and updates plans through the API, keeping absent fields and clearing nulls', async () => {
    const created = await putPlan(
      database,
      'startup',
      planFieldsSchema.parse({ name: 'Startup', rank: 1, requests_per_minute: 30, monthly_budget_usd: 10 }),
    );
    expect(created.created).toBe(true);
    expect(created.plan).toMatchObject({ source: 'api', name: 'Startup', monthlyRequestQuota: null });
    const updated = await putPlan(
      database,
      'startup',
      planFieldsSchema.parse({ monthly_request_quota: 500, requests_per_minute: null }),
    );
    expect(updated.created).toBe(false);
    expect(updated.plan).toMatchObject({
      name: 'Startup',
      monthlyRequestQuota: 500,
      monthlyBudgetUsd: '10',
      rateLimits: { requestsPerMinute: null },
    });
  });

  it('assigns plans, refuses unknown ones, and refuses to delete plans in use or built in', async () => {
    await seedPlans(database, {});
    const organization = await createOrganization(database, { name: 'plans' });
    const { apiKey } = await createApiKey(database, {
      organizationId: organization.id,
      name: 'k',
      role: 'developer',
    });
    expect(await setOrganizationPlan(database, organization.id, 'nope')).toEqual({
      changed: false,
      reason: 'plan-not-found',
    });
    expect(await setOrganizationPlan(database, 'org_missing', 'free')).toEqual({
      changed: false,
      reason: 'organization-not-found',
    });
    await putPlan(database, 'custom', planFieldsSchema.parse({ rank: 5 }));
    const assigned = await setOrganizationPlan(database, organization.id, 'custom');
    expect(assigned.changed && assigned.secretHashes).toHaveLength(1);
    expect((await planForOrganization(database, organization.id))?.id).toBe('custom');
    expect(apiKey.organizationId).toBe(organization.id);

    expect(await deletePlan(database, 'custom')).toEqual({
      deleted: false,
      reason: 'in-use',
      organizations: 1,
    });
    expect(await deletePlan(database, 'free')).toEqual({ deleted: false, reason: 'built-in' });
    expect(await deletePlan(database, 'ghost')).toEqual({ deleted: false, reason: 'not-found' });
    await setOrganizationPlan(database, organization.id, null);
    expect(await planForOrganization(database, organization.id)).toBeNull();
    expect(await deletePlan(database, 'custom')).toMatchObject({ deleted: true, plan: { id: 'custom' } });
  });
});
