import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { CacheServices } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';
import {
  cachePurgeExample,
  cachePurgeSchema,
  cacheStatsExample,
  cacheStatsSchema,
  serializeCacheStatistics,
} from './operations-schemas.ts';

const statsQuerySchema = z.strictObject({
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  organization_id: z.string().min(1).max(64).optional(),
});

const tag = 'Cache';

const purgeQuerySchema = z.strictObject({ organization_id: z.string().min(1).max(64).optional() });

/**
 * The response cache's API: GET /v1/cache/stats (the caller's organisation) and DELETE /v1/cache
 * (admin: purge L1, L2 and semantic entries of an organisation). Policies are on the admin surface.
 */
export function registerCacheRoutes(app: FastifyInstance, caching: CacheServices): void {
  app.get(
    '/v1/cache/stats',
    requires('usage:read', {
      operationId: 'getCacheStats',
      summary: "The response cache's hits, misses and savings",
      description:
        "Request counts come from the usage ledger (every replica); `l1` is the answering replica's memory. A platform admin may name another organisation with `organization_id`.",
      tag,
      query: statsQuerySchema,
      responses: {
        200: { description: 'The statistics.', schema: cacheStatsSchema, example: cacheStatsExample },
      },
      errors: [404],
    }),
    async (request) => {
      const query = parseWith(statsQuerySchema, request.query);
      const statistics = await caching.statistics(callerOf(request), {
        ...(query.organization_id ? { organizationId: query.organization_id } : {}),
        ...(query.from ? { from: new Date(query.from) } : {}),
        ...(query.to ? { to: new Date(query.to) } : {}),
      });
      return serializeCacheStatistics(statistics);
    },
  );

  app.delete(
    '/v1/cache',
    requires('admin:cache', {
      operationId: 'purgeCache',
      summary: "Purge an organisation's cached answers (L1, L2 and semantic)",
      description:
        "Every replica drops the organisation's in-memory entries (told over the event bus). The caller's organisation unless a platform admin names another with `organization_id`.",
      tag,
      query: purgeQuerySchema,
      responses: {
        200: { description: 'What was removed.', schema: cachePurgeSchema, example: cachePurgeExample },
      },
      errors: [404],
    }),
    async (request): Promise<z.output<typeof cachePurgeSchema>> => {
      const query = parseWith(purgeQuerySchema, request.query);
      const outcome = await caching.purge(callerOf(request), query.organization_id);
      return {
        object: 'cache.purge',
        organization_id: outcome.organizationId,
        l1_entries: outcome.l1Entries,
        l2: outcome.l2,
        semantic_entries: outcome.semanticEntries,
      };
    },
  );
}
