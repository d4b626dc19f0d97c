import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { isMigrated } from '../../storage/db/index.ts';
import type { RouteContext } from '../route-context.ts';
import { requires } from '../route-permission.ts';
import { healthSchema, readinessExample, readinessSchema } from './operations-schemas.ts';

const tag = 'Operations';

/** /healthz (alive), /readyz (store reachable and migrated), /metrics (Prometheus). No auth: probes. */
export function registerHealthRoutes(app: FastifyInstance, context: RouteContext): void {
  app.get(
    '/healthz',
    requires('public', {
      operationId: 'getHealth',
      summary: 'Liveness: the process answers',
      tag,
      responses: { 200: { description: 'Alive.', schema: healthSchema, example: { status: 'ok' } } },
    }),
    async (): Promise<z.output<typeof healthSchema>> => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    requires('public', {
      operationId: 'getReadiness',
      summary: 'Readiness: the store is reachable and migrated',
      description:
        'A key-value store that is down is reported (`degraded: …`) but does not fail readiness: the cache and counters degrade gracefully.',
      tag,
      responses: {
        200: { description: 'Ready.', schema: readinessSchema, example: readinessExample },
        503: {
          description: 'Not ready: the database is unreachable or migrations are pending.',
          schema: readinessSchema,
          example: {
            status: 'not_ready',
            checks: { database: 'ok', migrations: 'pending', key_value_store: 'ok' },
          },
        },
      },
    }),
    async (_request, reply) => {
      const checks: Record<string, string> = {};
      try {
        await context.database.ping();
        checks.database = 'ok';
        checks.migrations = (await isMigrated(context.database)) ? 'ok' : 'pending';
      } catch (error) {
        checks.database = `unreachable: ${(error as Error).message}`;
      }
      try {
        await context.keyValueStore.ping();
        checks.key_value_store = 'ok';
      } catch (error) {
        // The cache and counters degrade gracefully, so this is reported but does not fail readiness.
        checks.key_value_store = `degraded: ${(error as Error).message}`;
      }
      const ready = checks.database === 'ok' && checks.migrations === 'ok';
      const body: z.output<typeof readinessSchema> = { status: ready ? 'ready' : 'not_ready', checks };
      return reply.status(ready ? 200 : 503).send(body);
    },
  );

  app.get(
    '/metrics',
    requires('public', {
      operationId: 'getMetrics',
      summary: 'Prometheus metrics',
      description:
        "This replica's metrics in the Prometheus text exposition format (version 0.0.4): requests and latencies per route and model, tokens, cost, cache lookups and savings, breaker states, admission refusals, budget utilisation, database connections, Redis command latency, queue depths and ages, metering queue, swarm runs and steps, knowledge ingestion, process (event loop, heap, GC). docs/metrics-dashboards-alerts.md lists them.",
      tag,
      responses: {
        200: {
          description: 'The metrics, as Prometheus scrapes them.',
          contentType: 'text/plain; version=0.0.4; charset=utf-8',
        },
      },
    }),
    async (_request, reply) => {
      await context.collectMetrics();
      const stateValue = { closed: 0, 'half-open': 1, open: 2 } as const;
      for (const { deployment } of context.routing.stats.snapshot()) {
        const breaker = await context.routing.breakers.snapshot(deployment).catch(() => null);
        if (breaker) context.metrics.breakerState.set({ deployment }, stateValue[breaker.state]);
      }
      reply.header('content-type', context.metrics.registry.contentType);
      return context.metrics.registry.metrics();
    },
  );
}
