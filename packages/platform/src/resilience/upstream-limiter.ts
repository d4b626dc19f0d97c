import type { Clock } from '../support/index.ts';
import type { UpstreamLimiter, UpstreamQuota } from './resilience-types.ts';
import { createTokenBucket, refill, type TokenBucket, waitFor } from './token-bucket.ts';

interface DeploymentBuckets {
  requests: TokenBucket | null;
  tokens: TokenBucket | null;
  /** Epoch ms before which the upstream asked us not to call (its 429 Retry-After). */
  pausedUntil: number;
}

/**
 * Token buckets per deployment for the upstream's own requests-per-minute and tokens-per-minute
 * quotas, so the gateway diverts to another deployment before the upstream answers 429.
 *
 * Each bucket refills continuously and starts full. A quota that is absent (or not a positive
 * number) is not enforced; a deployment without any quota is always allowed, except while paused
 * after the upstream's own 429, which is about the upstream rather than our configuration.
 *
 * The buckets live in this process: every replica enforces the full quota on its own, so N
 * replicas may together send up to N times the quota. A variant shared through the kv port (one
 * Redis script per acquire) is future work; until then, divide the quota by the replica count.
 * Memory grows with the number of distinct deployment names, which the configuration bounds.
 */
export function createUpstreamLimiter(clock: Clock): UpstreamLimiter {
  const deployments = new Map<string, DeploymentBuckets>();

  const bucketsFor = (deployment: string): DeploymentBuckets => {
    let buckets = deployments.get(deployment);
    if (buckets === undefined) {
      buckets = { requests: null, tokens: null, pausedUntil: 0 };
      deployments.set(deployment, buckets);
    }
    return buckets;
  };

  const current = (bucket: TokenBucket | null, capacity: number | null, now: number): TokenBucket | null => {
    if (capacity === null) return null;
    if (bucket === null) return createTokenBucket(capacity, now);
    refill(bucket, capacity, now);
    return bucket;
  };

  return {
    tryAcquire(deployment, quota, estimatedTokens) {
      const requestsPerMinute = configured(quota.requestsPerMinute);
      const tokensPerMinute = configured(quota.tokensPerMinute);
      const existing = deployments.get(deployment);
      const now = clock.now();
      if (requestsPerMinute === null && tokensPerMinute === null && (existing?.pausedUntil ?? 0) <= now) {
        return { allowed: true };
      }
      const buckets = existing ?? bucketsFor(deployment);
      buckets.requests = current(buckets.requests, requestsPerMinute, now);
      buckets.tokens = current(buckets.tokens, tokensPerMinute, now);
      const tokens = Number.isFinite(estimatedTokens) ? Math.max(0, estimatedTokens) : 0;

      let waitMs = Math.max(0, buckets.pausedUntil - now);
      if (buckets.requests !== null) waitMs = Math.max(waitMs, waitFor(buckets.requests, 1, now));
      if (buckets.tokens !== null) waitMs = Math.max(waitMs, waitFor(buckets.tokens, tokens, now));
      if (waitMs > 0) return { allowed: false, retryAfterMs: Math.ceil(waitMs) };

      if (buckets.requests !== null) buckets.requests.level -= 1;
      if (buckets.tokens !== null) buckets.tokens.level -= tokens;
      return { allowed: true };
    },

    settle(deployment, quota, estimatedTokens, actualTokens) {
      const tokensPerMinute = configured(quota.tokensPerMinute);
      const buckets = deployments.get(deployment);
      if (tokensPerMinute === null || buckets === undefined || buckets.tokens === null) return;
      if (!Number.isFinite(estimatedTokens) || !Number.isFinite(actualTokens)) return;
      const bucket = buckets.tokens;
      refill(bucket, tokensPerMinute, clock.now());
      // why: tryAcquire charged the estimate; give back the unused part, or charge the excess.
      bucket.level = Math.min(
        bucket.capacity,
        bucket.level + Math.max(0, estimatedTokens) - Math.max(0, actualTokens),
      );
    },

    pause(deployment, retryAfterMs) {
      if (!Number.isFinite(retryAfterMs) || retryAfterMs <= 0) return;
      const buckets = bucketsFor(deployment);
      const now = clock.now();
      buckets.pausedUntil = Math.max(buckets.pausedUntil, now + retryAfterMs);
      if (buckets.requests !== null) {
        refill(buckets.requests, buckets.requests.capacity, now);
        buckets.requests.level = Math.min(buckets.requests.level, 0);
      }
    },
  };
}

/** The quota as a positive finite number, or null when it is not enforced. */
function configured(perMinute: UpstreamQuota[keyof UpstreamQuota]): number | null {
  return perMinute !== undefined && Number.isFinite(perMinute) && perMinute > 0 ? perMinute : null;
}
