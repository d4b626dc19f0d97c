import { type CachedChatCall, cacheStatusOf } from '../gateway/index.ts';

/** `x-kimi-cache: hit-l1|hit-l2|hit-semantic|miss|bypass`, once the cache has decided. */
export function cacheHeaders(call: CachedChatCall): Record<string, string> {
  const status = cacheStatusOf(call);
  return status === null ? {} : { 'x-kimi-cache': status };
}
