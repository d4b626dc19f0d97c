import type { Database } from '../../storage/db/index.ts';
import type { EventBus, Unsubscribe } from '../../storage/pubsub/index.ts';
import type { Clock } from '../../support/index.ts';
import { createChangePoller } from '../../support/index.ts';
import type { BudgetCounter } from '../limits/limits-types.ts';
import {
  type BudgetRequest,
  countersFor,
  loadOrganizationBudgets,
  type OrganizationBudgets,
} from './budget-counters.ts';
import { budgetsChangedSince } from './budget-repository.ts';

/** The events-port channel on which budget changes (an organisation id, or '*') are announced. */
export const budgetsChangedChannel = 'metering.budgets-changed';

/** Announcing this instead of an organisation id forgets every organisation (e.g. a plan's budget changed). */
export const everyOrganization = '*';

/** The hot path's view of budgets: no database read per request once an organisation is loaded. */
export interface BudgetDirectory {
  /** The counters that apply to a request (organisation or plan, key, end user), for `now` (default the clock). */
  budgetsForRequest(request: BudgetRequest, now?: number): Promise<BudgetCounter[]>;
  /** A loaded budget's alert thresholds, for checkBudgetAlerts; undefined when not in memory. */
  thresholdsFor(budgetId: string): readonly number[] | undefined;
  /** Forgets an organisation (or every one, with '*') here and on every instance. */
  announceChange(organizationId: string): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
  /** Organisations in memory. */
  size(): number;
}

/**
 * Every budget of an organisation is loaded on its first request and kept (at most
 * `maxOrganizations`, oldest dropped first). Invalidation, as for API keys: the events port at once,
 * and a poll of budgets, organisations (plan changes) and plans changed since the last poll.
 * Memory grows with an organisation's end-user budgets, one small object each.
 */
export function createBudgetDirectory(options: {
  database: Database;
  eventBus: EventBus;
  clock: Clock;
  pollIntervalMs: number;
  maxOrganizations: number;
  onPollError?: (error: unknown) => void;
}): BudgetDirectory {
  const cache = new Map<string, OrganizationBudgets>();
  const loading = new Map<string, Promise<OrganizationBudgets>>();
  const thresholds = new Map<string, readonly number[]>();
  /** Bumped on every invalidation, so a load that raced one is not cached. */
  let generation = 0;
  let unsubscribe: Unsubscribe | undefined;

  function budgetIdsOf(entry: OrganizationBudgets): string[] {
    return [
      ...(entry.organization ? [entry.organization.id] : []),
      ...[...entry.byApiKey.values()].map((budget) => budget.id),
      ...[...entry.byEndUser.values()].map((budget) => budget.id),
    ];
  }

  function drop(organizationId: string): void {
    const entry = cache.get(organizationId);
    if (!entry) return;
    cache.delete(organizationId);
    for (const id of budgetIdsOf(entry)) thresholds.delete(id);
  }

  function forget(organizationId: string): void {
    generation += 1;
    if (organizationId === everyOrganization) {
      cache.clear();
      thresholds.clear();
      loading.clear();
      return;
    }
    drop(organizationId);
    loading.delete(organizationId);
  }

  async function load(organizationId: string): Promise<OrganizationBudgets> {
    const startedAt = generation;
    const entry = await loadOrganizationBudgets(options.database, organizationId);
    if (startedAt !== generation) return entry;
    if (cache.size >= options.maxOrganizations) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) drop(oldest);
    }
    cache.set(organizationId, entry);
    for (const budget of [entry.organization, ...entry.byApiKey.values(), ...entry.byEndUser.values()]) {
      if (budget) thresholds.set(budget.id, budget.alertThresholds);
    }
    return entry;
  }

  const poller = createChangePoller({
    clock: options.clock,
    intervalMs: options.pollIntervalMs,
    changedSince: (since) => budgetsChangedSince(options.database, since),
    onChange: forget,
    ...(options.onPollError ? { onError: options.onPollError } : {}),
  });

  return {
    async budgetsForRequest(request, now = options.clock.now()) {
      let entry = cache.get(request.organizationId);
      if (!entry) {
        let pending = loading.get(request.organizationId);
        if (!pending) {
          const started = load(request.organizationId).finally(() => {
            if (loading.get(request.organizationId) === started) loading.delete(request.organizationId);
          });
          pending = started;
          loading.set(request.organizationId, started);
        }
        entry = await pending;
      }
      return countersFor(entry, request, now);
    },
    thresholdsFor: (budgetId) => thresholds.get(budgetId),
    async announceChange(organizationId) {
      forget(organizationId);
      await options.eventBus.publish(budgetsChangedChannel, organizationId);
    },
    async start() {
      unsubscribe = await options.eventBus.subscribe(budgetsChangedChannel, forget);
      await poller.start();
    },
    async close() {
      poller.stop();
      await unsubscribe?.();
    },
    size: () => cache.size,
  };
}
