import type { FastifyRequest } from 'fastify';
import { errors } from '../errors/index.ts';
import { type Permission, requirePermission } from '../identity/index.ts';
import { callerOf } from './authentication.ts';
import type { RouteContract } from './route-contract.ts';

/**
 * What a route needs: a permission of the matrix (`identity/permissions.ts`), `authenticated`
 * (any signed-in caller, e.g. "who am I"), or `public` (no credentials: health, metrics,
 * accepting an invitation). Every route declares one; a test fails on a route that does not.
 */
export type RoutePermission = Permission | 'authenticated' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: RoutePermission;
  }
}

/**
 * The route option that declares a route's permission and its contract (what the OpenAPI document
 * says of it): `app.get(url, requires('usage:read', { operationId: 'getUsage', … }), …)`.
 */
export function requires<Permission extends RoutePermission>(
  permission: Permission,
  contract?: RouteContract,
): { config: { permission: Permission; contract?: RouteContract } } {
  return { config: contract ? { permission, contract } : { permission } };
}

/**
 * Checks the route's declared permission for the authenticated caller. A route that declares
 * none is refused (fail closed): it is a bug, never a way in.
 */
export function checkRoutePermission(request: FastifyRequest): void {
  const permission = request.routeOptions.config.permission;
  if (permission === 'authenticated' || permission === 'public') return;
  if (permission === undefined) {
    throw errors.forbidden(
      `call ${request.method} ${request.routeOptions.url ?? request.url}`,
      'This route declares no permission, so it is closed; report it as a bug.',
    );
  }
  requirePermission(
    callerOf(request),
    permission,
    undefined,
    `call ${request.method} ${request.routeOptions.url}`,
  );
}
