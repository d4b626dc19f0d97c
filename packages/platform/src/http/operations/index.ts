import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../platform/index.ts';
import { registerCacheRoutes } from './cache-routes.ts';
import { registerRoutingRoutes } from './routing-routes.ts';
import { registerUsageRoutes } from './usage-routes.ts';

export { registerHealthRoutes } from './health-routes.ts';
export { usageQuerySchema } from './usage-routes.ts';

/** What a tenant operates with: usage, the cache and its policies, routing explain and provider health. */
export function registerOperationsRoutes(app: FastifyInstance, platform: Platform): void {
  registerUsageRoutes(app, platform.usage);
  registerCacheRoutes(app, platform.caching);
  registerRoutingRoutes(app, platform);
}
