import type { Database } from '../../storage/db/index.ts';
import type { EventBus, Unsubscribe } from '../../storage/pubsub/index.ts';
import type { Clock } from '../../support/index.ts';
import { createChangePoller } from '../../support/index.ts';
import { listPlans, plansFingerprint } from './plan-repository.ts';
import type { Plan } from './plan-types.ts';

/** The events-port channel on which plan changes are announced. */
export const plansChangedChannel = 'metering.plans-changed';

/** Every plan in memory, for the hot path (quota, allowed models, rate limits, upgrade hints). */
export interface PlanDirectory {
  get(id: string): Plan | undefined;
  /** Cheapest rank first. */
  list(): readonly Plan[];
  /** Reloads here and tells every instance to, e.g. after a plan was changed through the API. */
  announceChange(): Promise<void>;
  /** Loads the plans, subscribes to changes and starts polling. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Plans are few and change rarely, so all of them are kept in memory and reloaded whenever their
 * fingerprint (ids and updated_at) changes: through the events port at once, by polling within
 * `pollIntervalMs` otherwise.
 */
export function createPlanDirectory(options: {
  database: Database;
  eventBus: EventBus;
  clock: Clock;
  pollIntervalMs: number;
  onError?: (error: unknown) => void;
}): PlanDirectory {
  let plans: Plan[] = [];
  let byId = new Map<string, Plan>();
  let fingerprint: string | undefined;
  let latest: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;
  let unsubscribe: Unsubscribe | undefined;

  async function load(): Promise<void> {
    const nextFingerprint = await plansFingerprint(options.database);
    const next = await listPlans(options.database);
    plans = next;
    byId = new Map(next.map((plan) => [plan.id, plan]));
    fingerprint = nextFingerprint;
  }

  /** Joins a load that has not started yet, else queues one: a caller never gets a load begun before its call. */
  function reload(): Promise<void> {
    queued ??= latest.then(() => {
      queued = undefined;
      return load().catch((error: unknown) => options.onError?.(error));
    });
    latest = queued;
    return queued;
  }

  const poller = createChangePoller({
    clock: options.clock,
    intervalMs: options.pollIntervalMs,
    async changedSince() {
      const current = await plansFingerprint(options.database);
      return {
        changed: current === fingerprint ? [] : ['plans'],
        databaseNow: new Date(options.clock.now()),
      };
    },
    onChange: () => void reload(),
    ...(options.onError ? { onError: options.onError } : {}),
  });

  return {
    get: (id) => byId.get(id),
    list: () => plans,
    async announceChange() {
      await reload();
      await options.eventBus.publish(plansChangedChannel, 'plans');
    },
    async start() {
      await load();
      unsubscribe = await options.eventBus.subscribe(plansChangedChannel, () => void reload());
      await poller.start();
    },
    async close() {
      poller.stop();
      await unsubscribe?.();
    },
  };
}
