import type { Queryable } from '../../storage/db/index.ts';
import type { RequestOrigin } from '../../tenancy/index.ts';
import type { AuditActor, AuditLog } from '../audit/index.ts';
import type { StoredSession } from './session-repository.ts';

/**
 * Who ended sessions, for the audit log: the person themself, an administrator (removing a
 * member), or the platform; with the request it came from.
 */
export interface SessionAttribution {
  actor: AuditActor;
  origin: RequestOrigin | null;
}

export type SessionAuditAction = 'session.started' | 'session.ended' | 'session.refresh_reused';

/** The person a session belongs to, as the actor of what they do with it. */
export function sessionOwner(session: StoredSession, origin: RequestOrigin | null): SessionAttribution {
  return { actor: { type: 'user', id: session.userId, organizationId: session.organizationId }, origin };
}

function summaryOf(session: StoredSession, reason: string | null) {
  return {
    session_id: session.id,
    user_id: session.userId,
    role: session.role,
    expires_at: new Date(session.expiresAt).toISOString(),
    ...(reason === null ? {} : { reason }),
  };
}

/**
 * Writes a session's audit entry in the transaction of the change (none without an audit log:
 * the sessions room's own tests compose the service without one).
 */
export async function recordSessionEvent(
  audit: AuditLog | undefined,
  transaction: Queryable,
  event: {
    action: SessionAuditAction;
    session: StoredSession;
    by: SessionAttribution;
    reason?: string;
  },
): Promise<void> {
  if (!audit) return;
  const { action, session, by } = event;
  const summary = summaryOf(session, event.reason ?? null);
  await audit.record(transaction, {
    actor: by.actor,
    origin: by.origin,
    organizationId: session.organizationId,
    action,
    target: { type: 'session', id: session.id },
    before: action === 'session.started' ? null : summaryOf(session, null),
    after: action === 'session.started' ? summary : { ...summary, revoked: true },
  });
}
