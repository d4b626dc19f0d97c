import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { UsageServices } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';

export const usageQuerySchema = z.strictObject({
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  group_by: z.enum(['model', 'key', 'team', 'day']).default('model'),
});

/** GET /v1/usage: the caller's organisation's usage, aggregated. */
export function registerUsageRoutes(app: FastifyInstance, usage: UsageServices): void {
  app.get('/v1/usage', requires('usage:read'), async (request) => {
    const query = parseWith(usageQuerySchema, request.query);
    const report = await usage.report(callerOf(request), {
      ...(query.from ? { from: new Date(query.from) } : {}),
      ...(query.to ? { to: new Date(query.to) } : {}),
      groupBy: query.group_by,
    });
    return {
      object: 'usage.aggregate',
      organization_id: report.organizationId,
      from: report.from.toISOString(),
      to: report.to.toISOString(),
      group_by: report.groupBy,
      data: report.rows,
      totals: report.totals,
    };
  });
}
