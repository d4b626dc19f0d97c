import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { errors } from '../../errors/index.ts';
import { queryUsage, totalUsage } from '../../metering/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import type { RouteContext } from '../route-context.ts';

const dayMs = 86_400_000;

const usageQuerySchema = z.strictObject({
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  group_by: z.enum(['model', 'key', 'day']).default('model'),
});

/** GET /v1/usage: the caller's organisation's usage, aggregated. */
export function registerUsageRoutes(app: FastifyInstance, context: RouteContext): void {
  app.get('/v1/usage', async (request) => {
    const caller = callerOf(request);
    const query = parseWith(usageQuerySchema, request.query);
    const to = query.to ? new Date(query.to) : new Date(context.clock.now());
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * dayMs);
    if (from.getTime() >= to.getTime()) {
      throw errors.invalidRequest('from', "'from' must be earlier than 'to'.");
    }
    if (to.getTime() - from.getTime() > 400 * dayMs) {
      throw errors.invalidRequest('from', 'The range may span at most 400 days.', 'Query a shorter range.');
    }
    const rows = await queryUsage(context.database, {
      organizationId: caller.organizationId,
      from,
      to,
      groupBy: query.group_by,
    });
    return {
      object: 'usage.aggregate',
      organization_id: caller.organizationId,
      from: from.toISOString(),
      to: to.toISOString(),
      group_by: query.group_by,
      data: rows,
      totals: totalUsage(rows),
    };
  });
}
