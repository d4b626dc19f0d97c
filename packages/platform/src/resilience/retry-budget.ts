import type { Clock } from '../support/index.ts';
import type { RetryBudget, RetryBudgetSettings } from './resilience-types.ts';

const bucketWidthMs = 1_000;

interface SecondBucket {
  /** The epoch second this bucket counts; a bucket left over from an older second is stale. */
  second: number;
  requests: number;
  retries: number;
}

/**
 * A retry budget in the style of Finagle and Envoy: within the sliding window, retries may number
 * at most `ratio × requests + minimumPerSecond × window seconds`. During an outage every request
 * fails, so without a budget each would retry `maxAttempts` times and multiply the load on an
 * upstream that is already struggling; with it the extra load stays at `ratio`.
 *
 * Counts live in a ring of one-second buckets, so memory is fixed however busy the gateway is. The
 * budget is per process (each replica earns its own allowance from its own traffic).
 */
export function createRetryBudget(settings: RetryBudgetSettings, clock: Clock): RetryBudget {
  assertValidSettings(settings);
  const bucketCount = Math.max(1, Math.ceil(settings.windowMs / bucketWidthMs));
  const guaranteedRetries = settings.minimumPerSecond * (settings.windowMs / bucketWidthMs);
  const buckets: SecondBucket[] = Array.from({ length: bucketCount }, () => ({
    second: Number.NEGATIVE_INFINITY,
    requests: 0,
    retries: 0,
  }));

  const currentBucket = (second: number): SecondBucket => {
    const bucket = buckets[((second % bucketCount) + bucketCount) % bucketCount]!;
    if (bucket.second !== second) {
      bucket.second = second;
      bucket.requests = 0;
      bucket.retries = 0;
    }
    return bucket;
  };

  return {
    recordRequest() {
      currentBucket(Math.floor(clock.now() / bucketWidthMs)).requests += 1;
    },

    tryAcquireRetry() {
      const second = Math.floor(clock.now() / bucketWidthMs);
      let requests = 0;
      let retries = 0;
      for (const bucket of buckets) {
        if (bucket.second > second - bucketCount && bucket.second <= second) {
          requests += bucket.requests;
          retries += bucket.retries;
        }
      }
      // why: the small epsilon keeps 0.1 × 30 = 3.0000000000000004 from costing a whole retry.
      const allowance = Math.floor(settings.ratio * requests + guaranteedRetries + 1e-9);
      if (retries >= allowance) return false;
      currentBucket(second).retries += 1;
      return true;
    },
  };
}

function assertValidSettings(settings: RetryBudgetSettings): void {
  if (!(settings.ratio >= 0) || !Number.isFinite(settings.ratio)) {
    throw new Error(`retry budget ratio must be a finite number ≥ 0, got ${settings.ratio}`);
  }
  if (!(settings.minimumPerSecond >= 0) || !Number.isFinite(settings.minimumPerSecond)) {
    throw new Error(
      `retry budget minimumPerSecond must be a finite number ≥ 0, got ${settings.minimumPerSecond}`,
    );
  }
  if (!(settings.windowMs > 0) || !Number.isFinite(settings.windowMs)) {
    throw new Error(`retry budget windowMs must be a positive number, got ${settings.windowMs}`);
  }
}
