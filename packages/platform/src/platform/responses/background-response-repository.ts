import type { Queryable } from '../../storage/db/index.ts';
import type { StoredInputItem } from './response-object.ts';

/**
 * The SQL of background responses: claiming one for a run (with a lease the runner renews),
 * cancelling, and finding the ones whose job must be (re)started. Organisation-scoped like the
 * rest of the responses' SQL, except the sweep, which only finds ids across organisations.
 */

export interface ClaimedResponse {
  body: unknown;
  caller: unknown;
  callOptions: unknown;
  inputItems: StoredInputItem[];
  createdAt: number;
  conversationId: string | null;
}

/**
 * Marks a queued response (or an in-progress one whose lease expired: its runner died)
 * `in_progress` under a new lease; null when it is not there to run (cancelled, finished, or
 * another runner holds it).
 */
export async function claimBackgroundResponse(
  database: Queryable,
  organizationId: string,
  id: string,
  now: number,
  leaseMs: number,
): Promise<ClaimedResponse | null> {
  const result = await database.query<{
    body: unknown;
    caller: unknown;
    call_options: unknown;
    input_items: StoredInputItem[];
    created_at: Date;
    conversation_id: string | null;
  }>(
    `UPDATE responses SET status = 'in_progress', lease_expires_at = $4
      WHERE organization_id = $1 AND id = $2 AND background AND expires_at > $3
        AND (status = 'queued' OR (status = 'in_progress' AND lease_expires_at < $3))
      RETURNING body, caller, call_options, input_items, created_at, conversation_id`,
    [organizationId, id, new Date(now), new Date(now + leaseMs)],
  );
  const row = result.rows[0];
  if (!row) return null;
  return {
    body: row.body,
    caller: row.caller,
    callOptions: row.call_options,
    inputItems: row.input_items,
    createdAt: row.created_at.getTime(),
    conversationId: row.conversation_id,
  };
}

/** Extends the lease; false when the response is no longer in progress (it was cancelled). */
export async function renewLease(
  database: Queryable,
  organizationId: string,
  id: string,
  now: number,
  leaseMs: number,
): Promise<boolean> {
  const result = await database.query(
    `UPDATE responses SET lease_expires_at = $3
      WHERE organization_id = $1 AND id = $2 AND status = 'in_progress'`,
    [organizationId, id, new Date(now + leaseMs)],
  );
  return result.rowCount > 0;
}

/** What cancelling found: whether the response exists, is a background one, and its status before. */
export interface CancelOutcome {
  found: boolean;
  background: boolean;
  /** The status before cancelling (null when not found). */
  previousStatus: string | null;
}

/** Cancels a queued or in-progress background response; a finished one is left as it is. Run in a transaction. */
export async function cancelBackgroundResponse(
  database: Queryable,
  organizationId: string,
  id: string,
  now: number,
): Promise<CancelOutcome> {
  const found = await database.query<{ background: boolean; status: string }>(
    `SELECT background, status FROM responses
      WHERE organization_id = $1 AND id = $2 AND expires_at > $3 FOR UPDATE`,
    [organizationId, id, new Date(now)],
  );
  const row = found.rows[0];
  if (!row) return { found: false, background: false, previousStatus: null };
  if (row.background && (row.status === 'queued' || row.status === 'in_progress')) {
    await database.query(
      `UPDATE responses SET status = 'cancelled', completed_at = $3, lease_expires_at = NULL,
         body = NULL, caller = NULL, call_options = NULL
        WHERE organization_id = $1 AND id = $2`,
      [organizationId, id, new Date(now)],
    );
  }
  return { found: true, background: row.background, previousStatus: row.status };
}

/** Background responses (every organisation) that need a runner: queued, or in progress with an expired lease. */
export async function findUnattendedResponses(
  database: Queryable,
  now: number,
  limit: number,
): Promise<Array<{ id: string; organizationId: string }>> {
  const result = await database.query<{ id: string; organization_id: string }>(
    `SELECT id, organization_id FROM responses
      WHERE background AND expires_at > $1
        AND (status = 'queued' OR (status = 'in_progress' AND lease_expires_at < $1))
      ORDER BY created_at LIMIT $2`,
    [new Date(now), limit],
  );
  return result.rows.map((row) => ({ id: row.id, organizationId: row.organization_id }));
}

/** Lets the next runner take an in-progress response at once (this process is shutting down). */
export async function releaseLease(
  database: Queryable,
  organizationId: string,
  id: string,
  now: number,
): Promise<void> {
  await database.query(
    `UPDATE responses SET lease_expires_at = $3
      WHERE organization_id = $1 AND id = $2 AND status = 'in_progress'`,
    [organizationId, id, new Date(now - 1)],
  );
}

/** Fails an in-progress response whose stored request cannot be read (written by another version). */
export async function failUnreadableResponse(
  database: Queryable,
  organizationId: string,
  id: string,
  now: number,
  detail: string,
): Promise<void> {
  await database.query(
    `UPDATE responses SET status = 'failed', error = $3::jsonb, completed_at = $4, lease_expires_at = NULL,
       body = NULL, caller = NULL, call_options = NULL
      WHERE organization_id = $1 AND id = $2 AND status = 'in_progress'`,
    [
      organizationId,
      id,
      JSON.stringify({ code: 'server_error', message: `The stored request could not be read: ${detail}` }),
      new Date(now),
    ],
  );
}
