import type { AuthContext, RequestOrigin } from '../../tenancy/index.ts';
import type { AuditActor } from './audit-types.ts';

/** The platform acting on its own (start-up, background work): no id, no organisation. */
export const systemActor: AuditActor = { type: 'system', id: null, organizationId: null };

/** Who the caller is, as the audit log names it: today always an API key. */
export function actorOf(caller: AuthContext): AuditActor {
  return { type: 'api_key', id: caller.apiKeyId, organizationId: caller.organizationId };
}

/** The actor and request origin of an entry a caller's change writes. */
export function attributionOf(caller: AuthContext): { actor: AuditActor; origin: RequestOrigin | null } {
  return { actor: actorOf(caller), origin: caller.origin ?? null };
}
