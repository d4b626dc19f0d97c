import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  type ChatCache,
  type EffectiveCachePolicy,
  effectivePolicy,
  emptyCachePolicy,
  findCachePolicy,
  type StoredCachePolicy,
} from '../../cache/index.ts';
import { errors } from '../../errors/index.ts';
import { queryCacheUsage } from '../../metering/index.ts';
import { requireOrganizationAdministrator } from '../../platform/index.ts';
import { findApiKey, findOrganization } from '../../tenancy/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import type { RouteContext } from '../route-context.ts';

const dayMs = 86_400_000;

const statsQuerySchema = z.strictObject({
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  organization_id: z.string().min(1).max(64).optional(),
});

const purgeQuerySchema = z.strictObject({ organization_id: z.string().min(1).max(64).optional() });

/** A field set to a value replaces it, null inherits (from the organisation, then the config). */
const policySchema = z.strictObject({
  enabled: z.boolean().nullable().optional(),
  ttl_seconds: z
    .number()
    .int()
    .min(1)
    .max(30 * 86_400)
    .nullable()
    .optional(),
  cache_nonzero_temperature: z.boolean().nullable().optional(),
  semantic_enabled: z.boolean().nullable().optional(),
  similarity_threshold: z.number().min(0.5).max(1).nullable().optional(),
});

const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });
const keyParamsSchema = organizationParamsSchema.extend({ keyId: z.string().min(1).max(64) });

function serializeStored(policy: StoredCachePolicy) {
  return {
    enabled: policy.enabled,
    ttl_seconds: policy.ttlSeconds,
    cache_nonzero_temperature: policy.cacheNonzeroTemperature,
    semantic_enabled: policy.semanticEnabled,
    similarity_threshold: policy.similarityThreshold,
  };
}

function serializeEffective(policy: EffectiveCachePolicy) {
  return {
    enabled: policy.enabled,
    ttl_seconds: policy.ttlSeconds,
    cache_nonzero_temperature: policy.cacheNonzeroTemperature,
    semantic_enabled: policy.semanticEnabled,
    similarity_threshold: policy.similarityThreshold,
  };
}

/** Applies a PUT body over the stored policy: absent fields keep their value. */
function merged(current: StoredCachePolicy, body: z.output<typeof policySchema>): StoredCachePolicy {
  const pick = <Value>(value: Value | undefined, previous: Value) => (value === undefined ? previous : value);
  return {
    enabled: pick(body.enabled, current.enabled),
    ttlSeconds: pick(body.ttl_seconds, current.ttlSeconds),
    cacheNonzeroTemperature: pick(body.cache_nonzero_temperature, current.cacheNonzeroTemperature),
    semanticEnabled: pick(body.semantic_enabled, current.semanticEnabled),
    similarityThreshold: pick(body.similarity_threshold, current.similarityThreshold),
  };
}

/**
 * The response cache's API: GET /v1/cache/stats (the caller's organisation), DELETE /v1/cache
 * (admin: purge L1, L2 and semantic entries of an organisation), and cache policies per
 * organisation and per key under /v1/admin/organizations/{id}.
 */
export function registerCacheRoutes(
  app: FastifyInstance,
  context: RouteContext & { cache: ChatCache },
): void {
  const { cache } = context;

  /** The organisation a request is about: the caller's own, or any for the platform admin. */
  function organizationOf(caller: ReturnType<typeof callerOf>, requested: string | undefined): string {
    if (requested === undefined || requested === caller.organizationId) return caller.organizationId;
    if (caller.role !== 'platform_admin') {
      throw errors.forbidden(
        `read or purge the cache of organization '${requested}'`,
        'Only the platform admin key may name another organization.',
      );
    }
    return requested;
  }

  app.get('/v1/cache/stats', async (request) => {
    const caller = callerOf(request);
    const query = parseWith(statsQuerySchema, request.query);
    const organizationId = organizationOf(caller, query.organization_id);
    const to = query.to ? new Date(query.to) : new Date(context.clock.now());
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - dayMs);
    if (from.getTime() >= to.getTime())
      throw errors.invalidRequest('from', "'from' must be earlier than 'to'.");
    const usage = await queryCacheUsage(context.database, { organizationId, from, to });
    const local = await cache.localStats(organizationId);
    const hits = usage.requests['hit-l1']! + usage.requests['hit-l2']! + usage.requests['hit-semantic']!;
    const lookups = hits + usage.requests.miss!;
    const stored = cache.policies.lookup(organizationId, caller.apiKeyId);
    return {
      object: 'cache.stats',
      organization_id: organizationId,
      from: from.toISOString(),
      to: to.toISOString(),
      requests: {
        hit_l1: usage.requests['hit-l1'],
        hit_l2: usage.requests['hit-l2'],
        hit_semantic: usage.requests['hit-semantic'],
        miss: usage.requests.miss,
        bypass: usage.requests.bypass,
      },
      hit_ratio: lookups === 0 ? 0 : hits / lookups,
      saved_usd: usage.savedUsd,
      tokens_served_from_cache: usage.tokensServed,
      l1: { entries: local.l1.entries, bytes: local.l1.bytes, scope: 'this replica' },
      l2: local.l2,
      semantic: local.semantic,
      policy: serializeEffective(effectivePolicy(context.config.cache, stored.organization, undefined)),
    };
  });

  app.delete('/v1/cache', async (request) => {
    const caller = callerOf(request);
    const query = parseWith(purgeQuerySchema, request.query);
    const organizationId = query.organization_id ?? caller.organizationId;
    requireOrganizationAdministrator(caller, organizationId);
    const outcome = await cache.purge(organizationId);
    return {
      object: 'cache.purge',
      organization_id: organizationId,
      l1_entries: outcome.l1Entries,
      l2: outcome.l2,
      semantic_entries: outcome.semanticEntries,
    };
  });

  async function readPolicy(organizationId: string, keyId: string | null) {
    const stored = (await findCachePolicy(context.database, organizationId, keyId)) ?? emptyCachePolicy;
    const organization =
      keyId === null
        ? stored
        : ((await findCachePolicy(context.database, organizationId, null)) ?? undefined);
    return {
      object: 'cache.policy',
      organization_id: organizationId,
      api_key_id: keyId,
      stored: serializeStored(stored),
      effective: serializeEffective(
        effectivePolicy(context.config.cache, organization, keyId === null ? undefined : stored),
      ),
    };
  }

  async function requireScope(organizationId: string, keyId: string | null): Promise<void> {
    if (!(await findOrganization(context.database, organizationId))) {
      throw errors.notFound(`organization '${organizationId}'`, 'organizationId');
    }
    if (keyId !== null && !(await findApiKey(context.database, organizationId, keyId))) {
      throw errors.notFound(`API key '${keyId}'`, 'keyId');
    }
  }

  async function writePolicy(organizationId: string, keyId: string | null, body: unknown) {
    const change = parseWith(policySchema, body ?? {});
    await requireScope(organizationId, keyId);
    const current = (await findCachePolicy(context.database, organizationId, keyId)) ?? emptyCachePolicy;
    await cache.policies.put(organizationId, keyId, merged(current, change));
    return readPolicy(organizationId, keyId);
  }

  app.get('/v1/admin/organizations/:organizationId/cache-policy', async (request) => {
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    requireOrganizationAdministrator(callerOf(request), organizationId);
    await requireScope(organizationId, null);
    return readPolicy(organizationId, null);
  });

  app.put('/v1/admin/organizations/:organizationId/cache-policy', async (request) => {
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    requireOrganizationAdministrator(callerOf(request), organizationId);
    return writePolicy(organizationId, null, request.body);
  });

  app.get('/v1/admin/organizations/:organizationId/keys/:keyId/cache-policy', async (request) => {
    const { organizationId, keyId } = parseWith(keyParamsSchema, request.params);
    requireOrganizationAdministrator(callerOf(request), organizationId);
    await requireScope(organizationId, keyId);
    return readPolicy(organizationId, keyId);
  });

  app.put('/v1/admin/organizations/:organizationId/keys/:keyId/cache-policy', async (request) => {
    const { organizationId, keyId } = parseWith(keyParamsSchema, request.params);
    requireOrganizationAdministrator(callerOf(request), organizationId);
    return writePolicy(organizationId, keyId, request.body);
  });
}
