import type { FastifyInstance } from 'fastify';
import { errors } from '../../errors/index.ts';
import { isAdministrator } from '../../tenancy/index.ts';
import { callerOf } from '../authentication.ts';

/**
 * The admin surface's one role check: every /v1/admin route needs an admin key (of some
 * organisation) or the platform admin key. Which organisation, and platform-only operations, are
 * checked by the services each route calls.
 */
export function requireAdministratorKeys(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    if (!isAdministrator(callerOf(request))) {
      throw errors.forbidden(
        'use the admin API',
        "Use a key with role 'admin' in the organization, or the platform admin key.",
      );
    }
  });
}
