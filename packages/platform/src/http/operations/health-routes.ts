import type { FastifyInstance } from 'fastify';
import { isMigrated } from '../../storage/db/index.ts';
import type { RouteContext } from '../route-context.ts';
import { requires } from '../route-permission.ts';

/** /healthz (alive), /readyz (store reachable and migrated), /metrics (Prometheus). No auth: probes. */
export function registerHealthRoutes(app: FastifyInstance, context: RouteContext): void {
  app.get('/healthz', requires('public'), async () => ({ status: 'ok' }));

  app.get('/readyz', requires('public'), async (_request, reply) => {
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
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  });

  app.get('/metrics', requires('public'), async (_request, reply) => {
    context.metrics.meteringQueueDepth.set(context.ledger.depth());
    context.metrics.meteringWaiting.set(context.ledger.waiting());
    const stateValue = { closed: 0, 'half-open': 1, open: 2 } as const;
    for (const { deployment } of context.routing.stats.snapshot()) {
      const breaker = await context.routing.breakers.snapshot(deployment).catch(() => null);
      if (breaker) context.metrics.breakerState.set({ deployment }, stateValue[breaker.state]);
    }
    reply.header('content-type', context.metrics.registry.contentType);
    return context.metrics.registry.metrics();
  });
}
