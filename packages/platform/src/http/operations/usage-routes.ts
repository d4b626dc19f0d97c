import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { UsageServices } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';
import { usageAggregateExample, usageAggregateSchema } from './operations-schemas.ts';

const usageQuerySchema = z.strictObject({
  from: z.iso
    .datetime({ offset: true })
    .or(z.iso.date())
    .optional()
    .describe('Start (inclusive); default 30 days before `to`.'),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional().describe('End (exclusive); default now.'),
  group_by: z.enum(['model', 'key', 'team', 'day']).default('model'),
});

/** GET /v1/usage: the caller's organisation's usage, aggregated. */
export function registerUsageRoutes(app: FastifyInstance, usage: UsageServices): void {
  app.get(
    '/v1/usage',
    requires('usage:read', {
      operationId: 'getUsage',
      summary: "The organisation's usage, aggregated by model, key, team or day",
      tag: 'Usage',
      query: usageQuerySchema,
      responses: {
        200: {
          description: 'Rows by group and the totals.',
          schema: usageAggregateSchema,
          example: usageAggregateExample,
        },
      },
    }),
    async (request): Promise<z.output<typeof usageAggregateSchema>> => {
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
    },
  );
}
