import { errors } from '../errors/index.ts';
import type { CacheDirectives } from './cache-policy.ts';

type HeaderValue = string | string[] | undefined;

const maxTtlSeconds = 30 * 86_400;

function single(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * Reads a request's cache directives: `Cache-Control: no-cache` (do not answer from the cache,
 * store the fresh answer), `no-store` (neither), and `x-kimi-cache-ttl: <seconds>` (the lifetime
 * of the answer stored). A malformed TTL is a 400 naming the header.
 */
export function readCacheDirectives(headers: Record<string, HeaderValue>): CacheDirectives {
  const cacheControl = (single(headers['cache-control']) ?? '')
    .toLowerCase()
    .split(',')
    .map((token) => token.trim());
  const ttlText = single(headers['x-kimi-cache-ttl'])?.trim();
  let ttlSeconds: number | null = null;
  if (ttlText !== undefined && ttlText !== '') {
    if (!/^\d+$/.test(ttlText) || Number(ttlText) > maxTtlSeconds) {
      throw errors.invalidRequest(
        'x-kimi-cache-ttl',
        `The header 'x-kimi-cache-ttl' must be a whole number of seconds from 0 to ${maxTtlSeconds}; got '${ttlText.slice(0, 40)}'.`,
      );
    }
    ttlSeconds = Number(ttlText);
  }
  return {
    noCache: cacheControl.includes('no-cache'),
    noStore: cacheControl.includes('no-store'),
    ttlSeconds,
  };
}
