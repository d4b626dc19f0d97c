import type { Database, Queryable } from '../storage/db/index.ts';
import type { EventBus, Unsubscribe } from '../storage/pubsub/index.ts';
import { type Clock, createChangePoller } from '../support/index.ts';
import type { StoredCachePolicy } from './cache-policy.ts';

export const cachePolicyChangedChannel = 'cache.policy-changed';

interface PolicyRow {
  organization_id: string;
  api_key_id: string;
  enabled: boolean | null;
  ttl_seconds: number | null;
  cache_nonzero_temperature: boolean | null;
  semantic_enabled: boolean | null;
  similarity_threshold: number | null;
}

const columns =
  'organization_id, api_key_id, enabled, ttl_seconds, cache_nonzero_temperature, semantic_enabled, similarity_threshold';

function toPolicy(row: PolicyRow): StoredCachePolicy {
  return {
    enabled: row.enabled,
    ttlSeconds: row.ttl_seconds,
    cacheNonzeroTemperature: row.cache_nonzero_temperature,
    semanticEnabled: row.semantic_enabled,
    similarityThreshold: row.similarity_threshold,
  };
}

const entryId = (organizationId: string, apiKeyId: string | null) => `${organizationId}|${apiKeyId ?? ''}`;

/** Reads one stored policy (the organisation's when `apiKeyId` is null). */
export async function findCachePolicy(
  database: Queryable,
  organizationId: string,
  apiKeyId: string | null,
): Promise<StoredCachePolicy | null> {
  const result = await database.query<PolicyRow>(
    `SELECT ${columns} FROM cache_policies WHERE organization_id = $1 AND api_key_id = $2`,
    [organizationId, apiKeyId ?? ''],
  );
  return result.rows[0] ? toPolicy(result.rows[0]) : null;
}

/** Writes a policy (null fields inherit); replaces the previous one. */
export async function putCachePolicy(
  database: Queryable,
  organizationId: string,
  apiKeyId: string | null,
  policy: StoredCachePolicy,
): Promise<void> {
  await database.query(
    `INSERT INTO cache_policies (${columns}, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, now())
     ON CONFLICT (organization_id, api_key_id) DO UPDATE SET
       enabled = excluded.enabled, ttl_seconds = excluded.ttl_seconds,
       cache_nonzero_temperature = excluded.cache_nonzero_temperature,
       semantic_enabled = excluded.semantic_enabled, similarity_threshold = excluded.similarity_threshold,
       updated_at = now()`,
    [
      organizationId,
      apiKeyId ?? '',
      policy.enabled,
      policy.ttlSeconds,
      policy.cacheNonzeroTemperature,
      policy.semanticEnabled,
      policy.similarityThreshold,
    ],
  );
}

/**
 * Cache policies in memory, so the request path never reads the database for them. Changes arrive
 * by the events port (at once) and by polling `updated_at` (within the interval, even without Redis).
 */
export interface CachePolicyDirectory {
  /** The organisation's and the key's stored policies, each undefined when none is stored. */
  lookup(
    organizationId: string,
    apiKeyId: string,
  ): { organization: StoredCachePolicy | undefined; key: StoredCachePolicy | undefined };
  /** Stores a policy, updates this replica at once and tells the others. */
  put(organizationId: string, apiKeyId: string | null, policy: StoredCachePolicy): Promise<void>;
  /**
   * Updates this replica and tells the others about a policy the caller stored itself (with
   * {@link putCachePolicy} in its own transaction); call it after that transaction committed.
   */
  announce(organizationId: string, apiKeyId: string | null, policy: StoredCachePolicy): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createCachePolicyDirectory(options: {
  database: Database;
  eventBus: EventBus;
  clock: Clock;
  pollIntervalMs: number;
  onError?: (error: unknown) => void;
}): CachePolicyDirectory {
  const { database } = options;
  const policies = new Map<string, StoredCachePolicy>();
  let unsubscribe: Unsubscribe | undefined;

  async function reload(id: string): Promise<void> {
    const [organizationId = '', apiKeyId = ''] = id.split('|');
    try {
      const policy = await findCachePolicy(database, organizationId, apiKeyId || null);
      if (policy) policies.set(id, policy);
      else policies.delete(id);
    } catch (error) {
      options.onError?.(error);
    }
  }

  const poller = createChangePoller({
    clock: options.clock,
    intervalMs: options.pollIntervalMs,
    async changedSince(since) {
      const result = await database.query<PolicyRow & { database_now: Date }>(
        `SELECT ${columns}, now() AS database_now FROM cache_policies WHERE updated_at >= $1`,
        [since],
      );
      for (const row of result.rows)
        policies.set(entryId(row.organization_id, row.api_key_id), toPolicy(row));
      const databaseNow = result.rows[0]?.database_now ?? (await databaseTime(database));
      return { changed: [], databaseNow };
    },
    onChange: () => {},
    ...(options.onError ? { onError: options.onError } : {}),
  });

  const directory: CachePolicyDirectory = {
    lookup(organizationId, apiKeyId) {
      return {
        organization: policies.get(entryId(organizationId, null)),
        key: policies.get(entryId(organizationId, apiKeyId)),
      };
    },
    async put(organizationId, apiKeyId, policy) {
      await putCachePolicy(database, organizationId, apiKeyId, policy);
      await directory.announce(organizationId, apiKeyId, policy);
    },
    async announce(organizationId, apiKeyId, policy) {
      const id = entryId(organizationId, apiKeyId);
      policies.set(id, policy);
      await options.eventBus.publish(cachePolicyChangedChannel, id).catch(options.onError ?? (() => {}));
    },
    async start() {
      const all = await database.query<PolicyRow>(`SELECT ${columns} FROM cache_policies`);
      for (const row of all.rows) policies.set(entryId(row.organization_id, row.api_key_id), toPolicy(row));
      unsubscribe = await options.eventBus.subscribe(cachePolicyChangedChannel, (id) => {
        void reload(id);
      });
      await poller.start();
    },
    async close() {
      poller.stop();
      await unsubscribe?.();
    },
  };
  return directory;
}

async function databaseTime(database: Queryable): Promise<Date> {
  const result = await database.query<{ now: Date }>('SELECT now() AS now');
  return result.rows[0]?.now ?? new Date();
}
