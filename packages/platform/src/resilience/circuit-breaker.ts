import type { KeyValueStore } from '../storage/kv/index.ts';
import type { Clock } from '../support/index.ts';
import { type BreakerEntry, createWindowReader, newBreakerEntry, windowIndices } from './breaker-entry.ts';
import { createProbeDesk, type ProbeTicket } from './breaker-probes.ts';
import { createBreakerStore } from './breaker-store.ts';
import {
  addCounts,
  assertValidBreakerSettings,
  bucketWidthMs,
  type Outcome,
  shouldOpen,
} from './breaker-window.ts';
import type {
  BreakerSnapshot,
  BreakerState,
  CircuitBreakerSettings,
  CircuitBreakers,
} from './resilience-types.ts';

export interface CircuitBreakersOptions {
  settingsFor: (deployment: string) => CircuitBreakerSettings;
  clock: Clock;
  /** Where the state lives: Redis shares it between replicas, the memory store keeps it in-process. */
  keyValueStore: KeyValueStore;
  /** Prepended to every key the breakers write. Default `circuit-breaker:`. */
  keyPrefix?: string;
  /** Shared stores only: the longest the local view of a breaker's state may go without a refresh. Default 250 ms. */
  syncIntervalMs?: number;
  /** The longest a half-open probe holds its slot when its outcome is never recorded (a crash). Default 60 000 ms. */
  probeLeaseMs?: number;
  /**
   * Receives the kv port's failures; the breakers then carry on with what they know locally (a
   * breaker never fails a request because the store is down). Default: `console.error`.
   */
  onError?: (error: unknown, context: { deployment: string; operation: string }) => void;
}

/** The breakers over the kv port, with one addition to the {@link CircuitBreakers} contract. */
export interface KeyValueCircuitBreakers extends CircuitBreakers {
  /** Resolves once every kv write and refresh started so far has finished. */
  flush(): Promise<void>;
}

/**
 * One circuit breaker per deployment, its state in the kv port, so with Redis every replica shares
 * it. Closed → open once the sliding window holds `minimumRequests` requests and `failureRatio` of
 * them failed; open for `cooldownMs`; then half-open, where at most `halfOpenProbes` probes run at
 * once. Closing takes `halfOpenProbes` successful probes (all the probes the state admits, so with
 * one probe a single success closes); a failed probe re-opens it for another cooldown.
 *
 * With the memory store every call reads and writes the store and waits for it, so behaviour is
 * exact and immediate. With a shared store, `acquire()` answers from a local copy of the state
 * (no kv round trip while closed) that is refreshed in the background at most every
 * `syncIntervalMs` and at once on this process's own transitions, and `record()` returns after the
 * local bookkeeping while its kv writes finish in the background (failures go to `onError`). Only
 * half-open acquires wait for the store, because a probe slot must be claimed there.
 */
export function createCircuitBreakers(options: CircuitBreakersOptions): KeyValueCircuitBreakers {
  const { clock, settingsFor, keyValueStore } = options;
  const store = createBreakerStore(keyValueStore, options.keyPrefix ?? 'circuit-breaker:');
  const immediate = !keyValueStore.shared;
  const syncIntervalMs = options.syncIntervalMs ?? 250;
  const probeLeaseMs = options.probeLeaseMs ?? 60_000;
  const onError =
    options.onError ??
    ((error: unknown, context: { deployment: string; operation: string }) => {
      console.error(`circuit breaker: ${context.operation} failed for '${context.deployment}'`, error);
    });
  if (!(syncIntervalMs >= 0)) throw new Error(`syncIntervalMs must be ≥ 0, got ${syncIntervalMs}`);
  if (!(probeLeaseMs > 0)) throw new Error(`probeLeaseMs must be positive, got ${probeLeaseMs}`);

  /**
   * How long the open-until and probe-success keys outlive their cooldown: long enough for a quiet
   * deployment to be probed and a slow probe to report, short enough that a removed deployment
   * leaves nothing behind for long.
   */
  const stateTimeToLiveMs = (settings: CircuitBreakerSettings) =>
    settings.cooldownMs + settings.windowMs + probeLeaseMs;

  const entries = new Map<string, BreakerEntry>();
  const pending = new Set<Promise<void>>();
  let closed = false;

  const report = (deployment: string, operation: string) => (error: unknown) => {
    try {
      onError(error, { deployment, operation });
    } catch {
      // why: a failing error sink must not turn a breaker's bookkeeping into a failed request.
    }
  };

  const now = () => clock.now();
  const pastCounts = createWindowReader({ store, now, immediate, syncIntervalMs });
  const { takeProbe, takeTicket } = createProbeDesk({
    store,
    now,
    immediate,
    syncIntervalMs,
    probeLeaseMs,
    report,
  });

  const entryFor = (deployment: string): BreakerEntry => {
    let entry = entries.get(deployment);
    if (entry === undefined) {
      entry = newBreakerEntry(deployment);
      entries.set(deployment, entry);
    }
    return entry;
  };

  const inBackground = (work: Promise<void>) => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };

  const adopt = (entry: BreakerEntry, openUntil: number | null) => {
    if (entry.openUntil === openUntil) return;
    // why: a close resets the window in the store, so counts read before it are stale.
    if (openUntil === null) entry.pastBuckets.clear();
    entry.openUntil = openUntil;
    entry.probeSlotsTakenUntil = Number.NEGATIVE_INFINITY;
  };

  /** Takes on the state a write of this process left in the store. */
  const adoptWritten = (entry: BreakerEntry, openUntil: number | null) => {
    entry.version += 1;
    entry.lastRefreshAt = clock.now();
    adopt(entry, openUntil);
  };

  const refresh = async (entry: BreakerEntry) => {
    const version = entry.version;
    entry.lastRefreshAt = clock.now();
    try {
      const openUntil = await store.readOpenUntil(entry.deployment);
      if (entry.version === version) adopt(entry, openUntil);
    } catch (error) {
      report(entry.deployment, 'refresh')(error);
    }
  };

  const refreshIfStale = (entry: BreakerEntry) => {
    if (entry.refreshing || clock.now() - entry.lastRefreshAt < syncIntervalMs) return;
    entry.refreshing = true;
    inBackground(
      refresh(entry).finally(() => {
        entry.refreshing = false;
      }),
    );
  };

  const stateOf = (entry: BreakerEntry, now: number): BreakerState => {
    if (entry.openUntil === null) return 'closed';
    return now < entry.openUntil ? 'open' : 'half-open';
  };

  const open = async (entry: BreakerEntry, settings: CircuitBreakerSettings) => {
    const openUntil = Math.ceil(clock.now() + settings.cooldownMs);
    adoptWritten(entry, await store.open(entry.deployment, openUntil, stateTimeToLiveMs(settings)));
  };

  const recordOutcome = async (
    entry: BreakerEntry,
    settings: CircuitBreakerSettings,
    outcome: Outcome,
    now: number,
  ) => {
    const widthMs = bucketWidthMs(settings.windowMs);
    const index = Math.floor(now / widthMs);
    const current = await store.countOutcome(
      entry.deployment,
      { widthMs, index },
      outcome,
      settings.windowMs + widthMs,
    );
    if (immediate) await refresh(entry);
    // Only a closed breaker opens; a stale "closed" is harmless, as opening adopts the stored state.
    if (entry.openUntil !== null) return;
    const counts = addCounts(current, await pastCounts(entry, widthMs, index));
    if (shouldOpen(counts, settings)) await open(entry, settings);
  };

  const recordProbe = async (
    entry: BreakerEntry,
    settings: CircuitBreakerSettings,
    outcome: Outcome,
    ticket: ProbeTicket,
    now: number,
  ) => {
    const { deployment } = entry;
    if (ticket.slot !== null)
      await store.releaseProbeSlot(deployment, ticket.generation, ticket.slot, ticket.token);
    const ttlMs = stateTimeToLiveMs(settings);
    if (outcome === 'success') {
      const successes = await store.countProbeSuccess(deployment, ticket.generation, ttlMs);
      if (successes < settings.halfOpenProbes) return;
      const widthMs = bucketWidthMs(settings.windowMs);
      const closedNow = await store.close(
        deployment,
        ticket.generation,
        widthMs,
        windowIndices(widthMs, clock.now()),
      );
      adoptWritten(entry, closedNow ? null : await store.readOpenUntil(deployment));
      return;
    }
    const openUntil = Math.ceil(clock.now() + settings.cooldownMs);
    const result = await store.reopen(deployment, ticket.generation, openUntil, ttlMs);
    adoptWritten(entry, result.openUntil);
    // The period this probe tested was closed meanwhile: its failure counts like any other.
    if (!result.reopened && result.openUntil === null) await recordOutcome(entry, settings, 'failure', now);
  };

  /** Waits for kv work with the memory store; leaves it running in the background otherwise. */
  const run = async (deployment: string, operation: string, work: Promise<void>) => {
    const reported = work.catch(report(deployment, operation));
    if (immediate) await reported;
    else inBackground(reported);
  };

  const flush = async () => {
    while (pending.size > 0) await Promise.all([...pending]);
  };

  return {
    async acquire(deployment) {
      if (closed) throw new Error('the circuit breakers are closed');
      const settings = settingsFor(deployment);
      assertValidBreakerSettings(settings);
      const entry = entryFor(deployment);
      if (immediate) {
        await refresh(entry);
      } else {
        // why: the first call for a deployment waits for its state once, so a fresh replica does
        // not send traffic to a deployment the others have already cut off.
        entry.loaded ??= refresh(entry);
        await entry.loaded;
        refreshIfStale(entry);
      }
      const state = stateOf(entry, clock.now());
      if (state === 'closed') return { allowed: true, state, probe: false };
      if (state === 'open') return { allowed: false, state, probe: false };
      return takeProbe(entry, settings);
    },

    async record(deployment, outcome, permit) {
      // After close() a straggling request's outcome is dropped rather than failing that request.
      if (closed || !permit.allowed) return;
      const settings = settingsFor(deployment);
      const entry = entryFor(deployment);
      const now = clock.now();
      let ticket = takeTicket(entry, permit);
      // A permit rebuilt by the caller keeps its probe flag but holds no slot to release.
      if (ticket === undefined && permit.probe && entry.openUntil !== null) {
        ticket = { generation: entry.openUntil, slot: null, token: '' };
      }
      await run(
        deployment,
        'record',
        ticket === undefined
          ? recordOutcome(entry, settings, outcome, now)
          : recordProbe(entry, settings, outcome, ticket, now),
      );
    },

    async release(deployment, permit) {
      if (closed) return;
      const ticket = takeTicket(entryFor(deployment), permit);
      if (ticket === undefined || ticket.slot === null) return;
      await run(
        deployment,
        'release',
        store.releaseProbeSlot(deployment, ticket.generation, ticket.slot, ticket.token),
      );
    },

    async snapshot(deployment): Promise<BreakerSnapshot> {
      const settings = settingsFor(deployment);
      const widthMs = bucketWidthMs(settings.windowMs);
      const now = clock.now();
      const [openUntil, buckets] = await Promise.all([
        store.readOpenUntil(deployment),
        store.readBuckets(deployment, widthMs, windowIndices(widthMs, now)),
      ]);
      const counts = buckets.reduce(addCounts, { requests: 0, failures: 0 });
      const state: BreakerState = openUntil === null ? 'closed' : now < openUntil ? 'open' : 'half-open';
      return {
        deployment,
        state,
        requests: counts.requests,
        failures: counts.failures,
        openUntil: state === 'open' ? openUntil : null,
      };
    },

    flush,

    async close() {
      closed = true;
      await flush();
      entries.clear();
    },
  };
}
