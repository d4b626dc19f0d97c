import { describe, expect, it } from 'vitest';
import { cacheConfigSchema } from './cache-config-schema.ts';
import { readCacheDirectives } from './cache-directives.ts';
import { decideCaching, effectivePolicy, emptyCachePolicy, noDirectives } from './cache-policy.ts';

const config = cacheConfigSchema.parse({ enabled: true });

describe('cache policy', () => {
  it('layers config, organisation and key, nulls inheriting', () => {
    const organization = { ...emptyCachePolicy, ttlSeconds: 60, semanticEnabled: true };
    const key = { ...emptyCachePolicy, ttlSeconds: 10 };
    expect(effectivePolicy(config, organization, key)).toEqual({
      enabled: true,
      ttlSeconds: 10,
      cacheNonzeroTemperature: true,
      semanticEnabled: true,
      similarityThreshold: 0.95,
    });
    expect(effectivePolicy(cacheConfigSchema.parse({}), undefined, undefined).enabled).toBe(false);
  });

  it('decides per request from the policy and the directives', () => {
    const policy = effectivePolicy(config, undefined, undefined);
    expect(decideCaching(policy, noDirectives, {}, 86_400)).toMatchObject({
      read: true,
      write: true,
      ttlMs: 300_000,
    });
    const noStore = { ...noDirectives, noStore: true };
    expect(decideCaching(policy, noStore, {}, 86_400)).toMatchObject({ read: false, write: false });
    const noCache = { ...noDirectives, noCache: true, ttlSeconds: 30 };
    expect(decideCaching(policy, noCache, {}, 86_400)).toMatchObject({
      read: false,
      write: true,
      ttlMs: 30_000,
    });
    const strict = { ...policy, cacheNonzeroTemperature: false };
    expect(decideCaching(strict, noDirectives, { temperature: 0.3 }, 86_400).bypassReason).toBe(
      'temperature',
    );
    expect(decideCaching(strict, noDirectives, {}, 86_400).bypassReason).toBe('temperature');
    expect(decideCaching(strict, noDirectives, { temperature: 0 }, 86_400).read).toBe(true);
  });

  it('reads Cache-Control and x-kimi-cache-ttl, refusing a malformed TTL by name', () => {
    expect(readCacheDirectives({ 'cache-control': 'No-Cache, max-age=0', 'x-kimi-cache-ttl': '45' })).toEqual(
      {
        noCache: true,
        noStore: false,
        ttlSeconds: 45,
      },
    );
    expect(readCacheDirectives({})).toEqual(noDirectives);
    expect(() => readCacheDirectives({ 'x-kimi-cache-ttl': '-1' })).toThrow(/x-kimi-cache-ttl/);
  });
});
