import { isPlatformError } from '../../errors/index.ts';
import { type AuditLog, systemActor } from '../../identity/audit/index.ts';
import type { SignInResult } from '../../identity/sso/index.ts';
import type { Database, Queryable } from '../../storage/db/index.ts';
import type { RequestOrigin } from '../../tenancy/index.ts';

/** Records a completed sign-in, in the transaction that starts its session. */
export async function recordSignInSucceeded(
  audit: AuditLog,
  transaction: Queryable,
  signedIn: SignInResult,
  sessionId: string,
  origin: RequestOrigin | null,
): Promise<void> {
  await audit.record(transaction, {
    actor: { type: 'user', id: signedIn.userId, organizationId: signedIn.organizationId },
    origin,
    organizationId: signedIn.organizationId,
    action: 'sign_in.succeeded',
    target: { type: 'user', id: signedIn.userId },
    before: null,
    after: {
      method: 'single_sign_on',
      issuer: signedIn.identity.issuer,
      subject: signedIn.identity.subject,
      email: signedIn.identity.email,
      role: signedIn.role,
      session_id: sessionId,
    },
  });
}

/**
 * Records a refused sign-in: in the organisation's chain when the sign-in's state was known, in
 * the platform chain otherwise (an unknown, replayed or expired state names no organisation).
 * Only the error's code and message are kept (they never carry a token).
 */
export async function recordSignInFailed(
  audit: AuditLog,
  database: Database,
  failure: { organizationId: string | null; error: unknown; origin: RequestOrigin | null },
): Promise<void> {
  const { organizationId, error, origin } = failure;
  await database.transaction((transaction) =>
    audit.record(transaction, {
      actor: systemActor,
      origin,
      organizationId,
      action: 'sign_in.failed',
      target: { type: 'sign_in', id: organizationId ?? 'unknown' },
      before: null,
      after: isPlatformError(error)
        ? { method: 'single_sign_on', code: error.code, status: error.status, reason: error.message }
        : { method: 'single_sign_on', code: 'INTERNAL_ERROR' },
    }),
  );
}
