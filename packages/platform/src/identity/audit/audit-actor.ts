import type { AuthContext, RequestOrigin } from '../../tenancy/index.ts';
import type { AuditActor } from './audit-types.ts';

/** The platform acting on its own (start-up, background work): no id, no organisation. */
export const systemActor: AuditActor = { type: 'system', id: null, organizationId: null };

/**
 * Who the caller is, as the audit log names it: a key by its id, a person signed in with a
 * browser session by their user id, a workload by its principal id (`jwt:…`).
 */
export function actorOf(caller: AuthContext): AuditActor {
  const organizationId = caller.organizationId;
  switch (caller.principal) {
    case 'session':
      return { type: 'user', id: caller.userId ?? caller.apiKeyId, organizationId };
    case 'workload':
      return { type: 'workload', id: caller.apiKeyId, organizationId };
    case 'api_key':
      return { type: 'api_key', id: caller.apiKeyId, organizationId };
  }
}

/** The actor and request origin of an entry a caller's change writes. */
export function attributionOf(caller: AuthContext): { actor: AuditActor; origin: RequestOrigin | null } {
  return { actor: actorOf(caller), origin: caller.origin ?? null };
}
