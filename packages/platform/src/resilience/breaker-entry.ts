import type { BreakerStore } from './breaker-store.ts';
import { addCounts, bucketsPerWindow, type WindowCounts } from './breaker-window.ts';

export interface CachedBucket {
  counts: Promise<WindowCounts>;
  readAt: number;
  /** True once no record could still be on its way into this bucket. */
  final: boolean;
}

/** What this process knows of one deployment's breaker. */
export interface BreakerEntry {
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

/** A fresh entry: closed, never read from the store. */
export function newBreakerEntry(deployment: string): BreakerEntry {
  return {
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
}

/** The indices of the window's buckets that end at the one holding `now`. */
export function windowIndices(widthMs: number, now: number): number[] {
  const current = Math.floor(now / widthMs);
  return Array.from({ length: bucketsPerWindow }, (_, offset) => current - bucketsPerWindow + 1 + offset);
}

export interface WindowReaderOptions {
  store: BreakerStore;
  now: () => number;
  /** The memory store: read every bucket each time (exact and immediate). */
  immediate: boolean;
  syncIntervalMs: number;
}

/**
 * The counts of the window's buckets before `currentIndex`. On a shared store a bucket is read
 * again only while it may still change, at most once per sync interval; concurrent records share
 * one read.
 */
export function createWindowReader(options: WindowReaderOptions) {
  const { store, immediate, syncIntervalMs } = options;
  return async function pastCounts(
    entry: BreakerEntry,
    widthMs: number,
    currentIndex: number,
  ): Promise<WindowCounts> {
    if (entry.pastBucketsWidthMs !== widthMs) {
      entry.pastBuckets.clear();
      entry.pastBucketsWidthMs = widthMs;
    }
    const oldest = currentIndex - bucketsPerWindow + 1;
    for (const index of entry.pastBuckets.keys()) if (index < oldest) entry.pastBuckets.delete(index);
    const readAt = options.now();
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
}
