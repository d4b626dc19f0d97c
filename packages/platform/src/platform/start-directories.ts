import type { ConfigFile } from '../config/index.ts';
import { createBudgetDirectory } from '../metering/budgets/index.ts';
import { createPlanDirectory, findPlan, listPlans, seedPlans } from '../metering/plans/index.ts';
import type { Database, Queryable } from '../storage/db/index.ts';
import type { EventBus } from '../storage/pubsub/index.ts';
import type { Clock, SecretBox } from '../support/index.ts';
import type { Logger } from '../telemetry/index.ts';
import { createKeyAuthenticator, createProviderCredentialStore } from '../tenancy/index.ts';

export interface DirectoryParts {
  config: ConfigFile;
  /** A handle for the platform's own cross-organisation reads, naming why. */
  across: (reason: string) => Database;
  eventBus: EventBus;
  clock: Clock;
  secretBox: SecretBox | null;
  logger: Logger;
}

/** A default plan that does not exist would refuse every new organisation: fail at start instead. */
async function requireDefaultPlan(database: Queryable, planId: string | null): Promise<void> {
  if (planId === null || (await findPlan(database, planId))) return;
  const known = (await listPlans(database)).map((plan) => plan.id);
  throw new Error(
    `organizations.default_plan: there is no plan '${planId}'; use one of ${known.join(', ')}, define it under plans:, or set null.`,
  );
}

/**
 * The in-process directories every request reads without a database round trip — API keys,
 * organisations' provider credentials, plans and budgets — started (first load, change polling
 * and pub/sub) with the plans of the config file seeded first. Closing the platform closes them.
 */
export async function startDirectories(parts: DirectoryParts) {
  const { config, across, eventBus, clock, logger } = parts;
  const pollIntervalMs = config.auth.revocation_poll_ms;
  const authenticator = createKeyAuthenticator({
    database: across('authentication finds a key by its hash'),
    eventBus,
    clock,
    maxEntries: config.auth.key_cache_max_entries,
    pollIntervalMs,
    onPollError: (error) => logger.warn({ err: error }, 'api key change poll failed'),
    lastUsedFlushMs: config.auth.last_used_flush_ms,
    onLastUsedError: (error) => logger.warn({ err: error }, 'writing api keys last_used_at failed'),
  });
  await authenticator.start();
  const providerCredentials = createProviderCredentialStore({
    database: across('provider credentials cache'),
    eventBus,
    clock,
    secretBox: parts.secretBox,
    pollIntervalMs,
    maxOrganizations: config.auth.key_cache_max_entries,
    onPollError: (error) => logger.warn({ err: error }, 'provider key change poll failed'),
  });
  await providerCredentials.start();
  const planStore = across('plans');
  const seeded = await seedPlans(planStore, config.plans);
  if (seeded.keptFromApi.length > 0) {
    logger.info({ plans: seeded.keptFromApi }, 'plans last changed through the API keep their API values');
  }
  await requireDefaultPlan(planStore, config.organizations.default_plan);
  const planDirectory = createPlanDirectory({
    database: across("plan directory reads every organization's plan"),
    eventBus,
    clock,
    pollIntervalMs,
    onError: (error) => logger.warn({ err: error }, 'plan reload failed'),
  });
  await planDirectory.start();
  const budgetDirectory = createBudgetDirectory({
    database: across('budget directory'),
    eventBus,
    clock,
    pollIntervalMs,
    maxOrganizations: config.auth.key_cache_max_entries,
    onPollError: (error) => logger.warn({ err: error }, 'budget change poll failed'),
  });
  await budgetDirectory.start();
  return { authenticator, providerCredentials, planDirectory, budgetDirectory };
}
