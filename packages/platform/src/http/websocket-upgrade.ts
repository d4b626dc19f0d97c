import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors } from '../errors/index.ts';

async function upgradeRequired(request: FastifyRequest): Promise<never> {
  throw errors.upgradeRequired(request.url.split('?')[0] ?? request.url);
}

/**
 * A WebSocket route reached by plain HTTP answers 426 UPGRADE_REQUIRED in the documented shape
 * (the websocket plugin would send an empty 404). Register before the routes.
 */
export function requireUpgradeOnWebsocketRoutes(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (route.websocket !== true) return;
    route.websocket = false;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    // why: the HEAD twin of a GET route is cloned before this hook; it cannot be upgraded.
    if (!methods.every((method) => method === 'HEAD') && !route.wsHandler) {
      route.wsHandler = route.handler as NonNullable<typeof route.wsHandler>;
    }
    route.handler = upgradeRequired;
  });
}
