import type { Database } from '../../storage/db/index.ts';
import type { Clock } from '../../support/index.ts';
import { findOrganizationAccess, type OrganizationAccess } from '../../tenancy/index.ts';

/**
 * An organisation's plan, rate limits and state for callers authenticated by a session or a
 * workload token, remembered for `ttlMs` so those requests cost no database read on the hot path
 * (API keys carry the same facts in their own cache). A change takes effect within `ttlMs`.
 */
export interface OrganizationAccessCache {
  get(organizationId: string): Promise<OrganizationAccess | null>;
  invalidate(organizationId?: string): void;
}

export function createOrganizationAccessCache(
  database: Database,
  clock: Clock,
  ttlMs: number,
  maxEntries = 10_000,
): OrganizationAccessCache {
  const entries = new Map<string, { value: OrganizationAccess | null; at: number }>();
  return {
    async get(organizationId) {
      const cached = entries.get(organizationId);
      if (cached && clock.now() - cached.at < ttlMs) return cached.value;
      // platform scope: the caller's organisation is known only from its (verified) credential.
      const value = await findOrganizationAccess(database, organizationId);
      if (entries.size >= maxEntries) entries.clear();
      entries.set(organizationId, { value, at: clock.now() });
      return value;
    },
    invalidate(organizationId) {
      if (organizationId === undefined) entries.clear();
      else entries.delete(organizationId);
    },
  };
}
