import type { CacheStatus } from '../cache/index.ts';

/**
 * How a call was served, as each layer on the way back up adds it: what the cache did and the
 * rate limits admission applied. The HTTP layer turns it into response headers.
 */
export interface ServedAs {
  /** `x-kimi-cache`; null when the call did not go through the cache. */
  cacheStatus: CacheStatus | null;
  /** `x-ratelimit-*`; empty when no rate limit applies. */
  limitHeaders: Readonly<Record<string, string>>;
}

const noHeaders: Readonly<Record<string, string>> = Object.freeze({});
const servedDirectly: ServedAs = Object.freeze({ cacheStatus: null, limitHeaders: noHeaders });

/** What a layer below admission reports: the cache's decision, if any; admission adds the headers. */
export function servedAs(cacheStatus: CacheStatus | null | undefined): ServedAs {
  return cacheStatus == null ? servedDirectly : { cacheStatus, limitHeaders: noHeaders };
}

/** The served-as facts of the layer below, with the rate limits admission applied. */
export function withLimits(below: ServedAs, limitHeaders: Readonly<Record<string, string>>): ServedAs {
  return { cacheStatus: below.cacheStatus, limitHeaders };
}
