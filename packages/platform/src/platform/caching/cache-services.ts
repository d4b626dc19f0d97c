import {
  type ChatCache,
  type EffectiveCachePolicy,
  effectivePolicy,
  emptyCachePolicy,
  findCachePolicy,
  type PurgeOutcome,
  putCachePolicy,
  type StoredCachePolicy,
} from '../../cache/index.ts';
import type { ConfigFile } from '../../config/index.ts';
import { errors } from '../../errors/index.ts';
import { type AuditLog, attributionOf } from '../../identity/audit/index.ts';
import { requirePermission } from '../../identity/index.ts';
import { type CacheUsage, queryCacheUsage } from '../../metering/index.ts';
import type { Database } from '../../storage/db/index.ts';
import type { Clock } from '../../support/index.ts';
import { type AuthContext, findApiKey, findOrganization } from '../../tenancy/index.ts';

const dayMs = 86_400_000;

export interface CacheServicesDependencies {
  database: Database;
  clock: Clock;
  /** Purges and policy changes write their entries here. */
  audit: AuditLog;
  cache: ChatCache;
  /** The config in force now (its `cache:` section is the policy's last fallback). */
  config: () => ConfigFile;
}

export interface CacheStatistics {
  organizationId: string;
  from: Date;
  to: Date;
  /** From the usage ledger: every replica's lookups. */
  usage: CacheUsage;
  hitRatio: number;
  /** This replica's view of its layers. */
  layers: Awaited<ReturnType<ChatCache['localStats']>>;
  policy: EffectiveCachePolicy;
}

/** A policy as stored at one scope, and what applies there after inheriting. */
export interface CachePolicyView {
  organizationId: string;
  apiKeyId: string | null;
  stored: StoredCachePolicy;
  effective: EffectiveCachePolicy;
}

/** A field given replaces the stored value (null means inherit); a field left out keeps it. */
export type CachePolicyChange = Partial<StoredCachePolicy>;

/**
 * The response cache's operations: statistics for the caller's organisation (any for the platform
 * admin), purging an organisation's entries from every layer, and the cache policy per
 * organisation and per key (admins).
 */
export interface CacheServices {
  statistics(
    caller: AuthContext,
    query: { organizationId?: string; from?: Date; to?: Date },
  ): Promise<CacheStatistics>;
  purge(caller: AuthContext, organizationId?: string): Promise<{ organizationId: string } & PurgeOutcome>;
  policy(caller: AuthContext, organizationId: string, apiKeyId: string | null): Promise<CachePolicyView>;
  putPolicy(
    caller: AuthContext,
    organizationId: string,
    apiKeyId: string | null,
    change: CachePolicyChange,
  ): Promise<CachePolicyView>;
}

/** The organisation a read is about: the caller's own, or any for the platform admin. */
function organizationOf(caller: AuthContext, requested: string | undefined): string {
  if (requested === undefined || requested === caller.organizationId) return caller.organizationId;
  if (caller.role !== 'platform_admin') {
    throw errors.forbidden(
      `read or purge the cache of organization '${requested}'`,
      'Only the platform admin key may name another organization.',
    );
  }
  return requested;
}

/** A stored policy as the audit log keeps it, in the API's snake_case. */
function policySummary(policy: StoredCachePolicy) {
  return {
    enabled: policy.enabled,
    ttl_seconds: policy.ttlSeconds,
    cache_nonzero_temperature: policy.cacheNonzeroTemperature,
    semantic_enabled: policy.semanticEnabled,
    similarity_threshold: policy.similarityThreshold,
  };
}

function applied(current: StoredCachePolicy, change: CachePolicyChange): StoredCachePolicy {
  const pick = <Value>(value: Value | undefined, previous: Value) => (value === undefined ? previous : value);
  return {
    enabled: pick(change.enabled, current.enabled),
    ttlSeconds: pick(change.ttlSeconds, current.ttlSeconds),
    cacheNonzeroTemperature: pick(change.cacheNonzeroTemperature, current.cacheNonzeroTemperature),
    semanticEnabled: pick(change.semanticEnabled, current.semanticEnabled),
    similarityThreshold: pick(change.similarityThreshold, current.similarityThreshold),
  };
}

export function createCacheServices(dependencies: CacheServicesDependencies): CacheServices {
  const { cache, audit } = dependencies;

  async function requireScope(organizationId: string, apiKeyId: string | null): Promise<void> {
    if (!(await findOrganization(dependencies.database.forOrganization(organizationId), organizationId))) {
      throw errors.notFound(`organization '${organizationId}'`, 'organizationId');
    }
    if (
      apiKeyId !== null &&
      !(await findApiKey(dependencies.database.forOrganization(organizationId), organizationId, apiKeyId))
    ) {
      throw errors.notFound(`API key '${apiKeyId}'`, 'keyId');
    }
  }

  async function view(organizationId: string, apiKeyId: string | null): Promise<CachePolicyView> {
    const stored =
      (await findCachePolicy(
        dependencies.database.forOrganization(organizationId),
        organizationId,
        apiKeyId,
      )) ?? emptyCachePolicy;
    const organization =
      apiKeyId === null
        ? stored
        : ((await findCachePolicy(
            dependencies.database.forOrganization(organizationId),
            organizationId,
            null,
          )) ?? undefined);
    const key = apiKeyId === null ? undefined : stored;
    return {
      organizationId,
      apiKeyId,
      stored,
      effective: effectivePolicy(dependencies.config().cache, organization, key),
    };
  }

  return {
    async statistics(caller, query) {
      const organizationId = organizationOf(caller, query.organizationId);
      const to = query.to ?? new Date(dependencies.clock.now());
      const from = query.from ?? new Date(to.getTime() - dayMs);
      if (from.getTime() >= to.getTime()) {
        throw errors.invalidRequest('from', "'from' must be earlier than 'to'.");
      }
      const usage = await queryCacheUsage(dependencies.database.forOrganization(organizationId), {
        organizationId,
        from,
        to,
      });
      const layers = await cache.localStats(organizationId);
      const count = (status: string) => usage.requests[status] ?? 0;
      const hits = count('hit-l1') + count('hit-l2') + count('hit-semantic');
      const lookups = hits + count('miss');
      const stored = cache.policies.lookup(organizationId, caller.apiKeyId);
      return {
        organizationId,
        from,
        to,
        usage,
        hitRatio: lookups === 0 ? 0 : hits / lookups,
        layers,
        policy: effectivePolicy(dependencies.config().cache, stored.organization, undefined),
      };
    },
    async purge(caller, requested) {
      const organizationId = requested ?? caller.organizationId;
      requirePermission(caller, 'admin:cache', organizationId);
      const database = dependencies.database.forOrganization(organizationId);
      // why after, in a transaction of its own: a purge spans memory, Redis and the database, so it
      // cannot share one; its entry records what it removed, and a failure to write it fails the call.
      const outcome = await cache.purge(organizationId);
      await database.transaction((transaction) =>
        audit.record(transaction, {
          ...attributionOf(caller),
          organizationId,
          action: 'cache.purged',
          target: { type: 'organization', id: organizationId },
          before: null,
          after: {
            l1_entries: outcome.l1Entries,
            l2: outcome.l2,
            semantic_entries: outcome.semanticEntries,
          },
        }),
      );
      return { organizationId, ...outcome };
    },
    async policy(caller, organizationId, apiKeyId) {
      requirePermission(caller, 'admin:cache', organizationId);
      await requireScope(organizationId, apiKeyId);
      return view(organizationId, apiKeyId);
    },
    async putPolicy(caller, organizationId, apiKeyId, change) {
      requirePermission(caller, 'admin:cache', organizationId);
      const database = dependencies.database.forOrganization(organizationId);
      await requireScope(organizationId, apiKeyId);
      const policy = await database.transaction(async (transaction) => {
        const current = (await findCachePolicy(transaction, organizationId, apiKeyId)) ?? emptyCachePolicy;
        const next = applied(current, change);
        await putCachePolicy(transaction, organizationId, apiKeyId, next);
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId,
          action: 'cache_policy.updated',
          target:
            apiKeyId === null
              ? { type: 'organization', id: organizationId }
              : { type: 'api_key', id: apiKeyId },
          before: policySummary(current),
          after: policySummary(next),
        });
        return next;
      });
      await cache.policies.announce(organizationId, apiKeyId, policy);
      return view(organizationId, apiKeyId);
    },
  };
}
