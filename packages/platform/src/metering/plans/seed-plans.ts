import type { Database } from '../../storage/db/index.ts';
import { builtInPlans } from './built-in-plans.ts';
import { type PlanFields, resolvePlanDefinition } from './plan-fields-schema.ts';
import { definitionOf, listPlans, writePlan } from './plan-repository.ts';
import type { PlanDefinition, PlanSource } from './plan-types.ts';

/** The `plans:` section of the config file, as parsed: plan id → fields. */
export type ConfigPlans = Readonly<Record<string, PlanFields>>;

/** What seeding did to each plan, for the start-up log. */
export interface SeedPlansOutcome {
  /** Plans inserted or changed. */
  written: string[];
  /** Plans already as they should be. */
  unchanged: string[];
  /** Plans changed through the admin API, which seeding leaves alone (log these: config for them is ignored). */
  keptFromApi: string[];
}

/** Arbitrary constant for the seeding advisory lock, so replicas starting together seed one after another. */
const seedLockId = 7_245_005;

/** The plans the built-ins and the config file define: a config plan with a built-in's id is applied over it. */
export function desiredPlans(configPlans: ConfigPlans): Array<{ plan: PlanDefinition; source: PlanSource }> {
  const desired = new Map<string, { plan: PlanDefinition; source: PlanSource }>();
  for (const plan of builtInPlans) desired.set(plan.id, { plan, source: 'built-in' });
  for (const [id, fields] of Object.entries(configPlans)) {
    const base = desired.get(id)?.plan;
    desired.set(id, { plan: resolvePlanDefinition(id, fields, base), source: 'config' });
  }
  return [...desired.values()];
}

/**
 * Upserts the built-in plans and then the config file's plans at start-up. Idempotent: a plan
 * already as defined is not written (its updated_at stays, so caches are not invalidated). A plan
 * last changed through the admin API wins over the config file and is left alone. Plans removed
 * from the config file stay (organisations may be on them); delete them through the API.
 */
export async function seedPlans(database: Database, configPlans: ConfigPlans): Promise<SeedPlansOutcome> {
  return database.transaction(async (transaction) => {
    await transaction.query('SELECT pg_advisory_xact_lock($1)', [seedLockId]);
    const stored = new Map((await listPlans(transaction)).map((plan) => [plan.id, plan]));
    const outcome: SeedPlansOutcome = { written: [], unchanged: [], keptFromApi: [] };
    for (const { plan, source } of desiredPlans(configPlans)) {
      const current = stored.get(plan.id);
      if (current?.source === 'api') {
        outcome.keptFromApi.push(plan.id);
      } else if (
        current &&
        current.source === source &&
        JSON.stringify(definitionOf(current)) === JSON.stringify(definitionOf(plan))
      ) {
        outcome.unchanged.push(plan.id);
      } else {
        await writePlan(transaction, plan, source);
        outcome.written.push(plan.id);
      }
    }
    return outcome;
  });
}
