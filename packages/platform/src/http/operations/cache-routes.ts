import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { CacheServices } from '../../platform/index.ts';
import { serializePolicyFields } from '../admin/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';

const statsQuerySchema = z.strictObject({
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  organization_id: z.string().min(1).max(64).optional(),
});

const purgeQuerySchema = z.strictObject({ organization_id: z.string().min(1).max(64).optional() });

/**
 * The response cache's API: GET /v1/cache/stats (the caller's organisation) and DELETE /v1/cache
 * (admin: purge L1, L2 and semantic entries of an organisation). Policies are on the admin surface.
 */
export function registerCacheRoutes(app: FastifyInstance, caching: CacheServices): void {
  app.get('/v1/cache/stats', requires('usage:read'), async (request) => {
    const query = parseWith(statsQuerySchema, request.query);
    const statistics = await caching.statistics(callerOf(request), {
      ...(query.organization_id ? { organizationId: query.organization_id } : {}),
      ...(query.from ? { from: new Date(query.from) } : {}),
      ...(query.to ? { to: new Date(query.to) } : {}),
    });
    const { usage, layers } = statistics;
    return {
      object: 'cache.stats',
      organization_id: statistics.organizationId,
      from: statistics.from.toISOString(),
      to: statistics.to.toISOString(),
      requests: {
        hit_l1: usage.requests['hit-l1'] ?? 0,
        hit_l2: usage.requests['hit-l2'] ?? 0,
        hit_semantic: usage.requests['hit-semantic'] ?? 0,
        miss: usage.requests.miss ?? 0,
        bypass: usage.requests.bypass ?? 0,
      },
      hit_ratio: statistics.hitRatio,
      saved_usd: usage.savedUsd,
      tokens_served_from_cache: usage.tokensServed,
      l1: { entries: layers.l1.entries, bytes: layers.l1.bytes, scope: 'this replica' },
      l2: layers.l2,
      semantic: layers.semantic,
      policy: serializePolicyFields(statistics.policy),
    };
  });

  app.delete('/v1/cache', requires('admin:cache'), async (request) => {
    const query = parseWith(purgeQuerySchema, request.query);
    const outcome = await caching.purge(callerOf(request), query.organization_id);
    return {
      object: 'cache.purge',
      organization_id: outcome.organizationId,
      l1_entries: outcome.l1Entries,
      l2: outcome.l2,
      semantic_entries: outcome.semanticEntries,
    };
  });
}
