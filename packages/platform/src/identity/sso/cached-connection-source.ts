import type { Clock } from '../../support/index.ts';
import type { SsoConnectionSource } from './sign-in-ports.ts';
import type { SsoConnection } from './sso-connection-schema.ts';

/** A connection source that answers from memory for `ttlMs`, so bearer checks skip the database. */
export interface CachedConnectionSource extends SsoConnectionSource {
  /** Forgets what is cached (all of it: an issuer may be shared by several organisations). */
  invalidate(): void;
}

export function createCachedConnectionSource(
  source: SsoConnectionSource,
  clock: Clock,
  ttlMs: number,
  maxEntries = 10_000,
): CachedConnectionSource {
  const byOrganization = new Map<string, { value: SsoConnection | null; at: number }>();
  const byIssuer = new Map<string, { value: readonly SsoConnection[]; at: number }>();

  function remember<Value>(map: Map<string, { value: Value; at: number }>, key: string, value: Value): Value {
    if (map.size >= maxEntries) map.clear();
    map.set(key, { value, at: clock.now() });
    return value;
  }

  function fresh<Value>(
    map: Map<string, { value: Value; at: number }>,
    key: string,
  ): { value: Value } | null {
    const entry = map.get(key);
    return entry && clock.now() - entry.at < ttlMs ? entry : null;
  }

  return {
    async find(organizationId) {
      const cached = fresh(byOrganization, organizationId);
      if (cached) return cached.value;
      return remember(byOrganization, organizationId, await source.find(organizationId));
    },
    async findByIssuer(issuer) {
      const cached = fresh(byIssuer, issuer);
      if (cached) return cached.value;
      return remember(byIssuer, issuer, await source.findByIssuer(issuer));
    },
    invalidate() {
      byOrganization.clear();
      byIssuer.clear();
    },
  };
}
