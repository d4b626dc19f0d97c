import { randomUUID } from 'node:crypto';
import type { KeyValueStore } from '../storage/kv/index.ts';
import type { Clock } from '../support/index.ts';
import { createBreakerStore } from './breaker-store.ts';
import {
  addCounts,
  assertValidBreakerSettings,
  bucketsPerWindow,
  bucketWidthMs,
  type Outcome,
  shouldOpen,
  type WindowCounts,
} from './breaker-window.ts';
import type {
  BreakerPermit,
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

/** A half-open probe's claim: which open period it tests and which slot it holds. */
interface ProbeTicket {
  generation: number;
  slot: number | null;
  token: string;
}

interface CachedBucket {
  counts: Promise<WindowCounts>;
  readAt: number;
  /** True once no record could still be on its way into this bucket. */
  final: boolean;
}

/** What this process knows of one deployment's breaker. */
interface BreakerEntry {
  readonly deployment: string;
  /** The open-until timestamp (and generation) last seen in the store; null while closed. */
  openUntil: number | null;
  /** Bumped by every write this process makes, so a refresh that began before it is discarded. */
  version: number;
  /** Resolves when the first read from the store has finished. */
  loaded: Promise<void> | null;
  lastRefreshAt: number;
  refreshing: boolean;
  /** Probes this process holds; the limit it falls back on when the store is unreachable. */
  probesInFlight: number;
  /** Until then, every probe slot was seen taken, so half-open acquires are denied without a kv call. */
  probeSlotsTakenUntil: number;
  /**
   * Past buckets already read (shared stores only), reused while final or younger than the sync
   * interval; their width, so a changed window starts afresh.
   */
  pastBuckets: Map<number, CachedBucket>;
  pastBucketsWidthMs: number;
}

// why: a record reaches the store within milliseconds; a second later its bucket can no longer change.
const bucketFinalAfterMs = 1_000;

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
  const tickets = new WeakMap<BreakerPermit, ProbeTicket>();
  const pending = new Set<Promise<void>>();
  const instanceId = randomUUID();
  let probeCount = 0;
  let closed = false;

  const report = (deployment: string, operation: string) => (error: unknown) => {
    try {
      onError(error, { deployment, operation });
    } catch {
      // why: a failing error sink must not turn a breaker's bookkeeping into a failed request.
    }
  };

  const inBackground = (work: Promise<void>) => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };

  const entryFor = (deployment: string): BreakerEntry => {
    let entry = entries.get(deployment);
    if (entry === undefined) {
      entry = {
        deployment,
        openUntil: null,
        version: 0,
        loaded: null,
        lastRefreshAt: Number.NEGATIVE_INFINITY,
        refreshing: false,
        probesInFlight: 0,
        probeSlotsTakenUntil: Number.NEGATIVE_INFINITY,
        pastBuckets: new Map(),
        pastBucketsWidthMs: 0,
      };
      entries.set(deployment, entry);
    }
    return entry;
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

  const windowIndices = (widthMs: number, now: number) => {
    const current = Math.floor(now / widthMs);
    return Array.from({ length: bucketsPerWindow }, (_, offset) => current - bucketsPerWindow + 1 + offset);
  };

  /**
   * The counts of the window's buckets before `currentIndex`. On a shared store a bucket is read
   * again only while it may still change, at most once per sync interval; concurrent records share
   * one read.
   */
  const pastCounts = async (
    entry: BreakerEntry,
    widthMs: number,
    currentIndex: number,
  ): Promise<WindowCounts> => {
    if (entry.pastBucketsWidthMs !== widthMs) {
      entry.pastBuckets.clear();
      entry.pastBucketsWidthMs = widthMs;
    }
    const oldest = currentIndex - bucketsPerWindow + 1;
    for (const index of entry.pastBuckets.keys()) if (index < oldest) entry.pastBuckets.delete(index);
    const readAt = clock.now();
    const counts: Array<Promise<WindowCounts>> = [];
    const unread: number[] = [];
    for (let index = oldest; index < currentIndex; index++) {
      const cached = immediate ? undefined : entry.pastBuckets.get(index);
      if (cached !== undefined && (cached.final || readAt - cached.readAt < syncIntervalMs)) {
        counts.push(cached.counts);
      } else {
        unread.push(index);
      }
    }
    if (unread.length > 0) {
      const read = store.readBuckets(entry.deployment, widthMs, unread);
      for (const [position, index] of unread.entries()) {
        const bucketCounts = read.then((all) => all[position]!);
        counts.push(bucketCounts);
        if (immediate) continue;
        const cached: CachedBucket = {
          counts: bucketCounts,
          readAt,
          final: readAt >= (index + 1) * widthMs + bucketFinalAfterMs,
        };
        entry.pastBuckets.set(index, cached);
        bucketCounts.catch(() => {
          if (entry.pastBuckets.get(index) === cached) entry.pastBuckets.delete(index);
        });
      }
    }
    return (await Promise.all(counts)).reduce(addCounts, { requests: 0, failures: 0 });
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

  const takeProbe = async (entry: BreakerEntry, settings: CircuitBreakerSettings): Promise<BreakerPermit> => {
    const generation = entry.openUntil!;
    const denied: BreakerPermit = { allowed: false, state: 'half-open', probe: false };
    if (!immediate && clock.now() < entry.probeSlotsTakenUntil) return denied;
    probeCount += 1;
    const token = `${instanceId}:${probeCount}`;
    let slot: number | null;
    try {
      slot = await store.takeProbeSlot(
        entry.deployment,
        generation,
        settings.halfOpenProbes,
        token,
        probeLeaseMs,
      );
      if (slot === null) {
        if (!immediate) entry.probeSlotsTakenUntil = clock.now() + syncIntervalMs;
        return denied;
      }
    } catch (error) {
      report(entry.deployment, 'probe')(error);
      // Without the store, hold this process to the probe limit on its own.
      if (entry.probesInFlight >= settings.halfOpenProbes) return denied;
      slot = null;
    }
    entry.probesInFlight += 1;
    const permit: BreakerPermit = { allowed: true, state: 'half-open', probe: true };
    tickets.set(permit, { generation, slot, token });
    return permit;
  };

  /** The probe ticket a permit carries, if any; it is handed out once. */
  const takeTicket = (entry: BreakerEntry, permit: BreakerPermit): ProbeTicket | undefined => {
    const ticket = tickets.get(permit);
    if (ticket === undefined) return undefined;
    tickets.delete(permit);
    entry.probesInFlight -= 1;
    entry.probeSlotsTakenUntil = Number.NEGATIVE_INFINITY;
    return ticket;
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
