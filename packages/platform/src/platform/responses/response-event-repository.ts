import type { Queryable } from '../../storage/db/index.ts';
import type { SequencedResponseStreamEvent } from './response-stream-events.ts';

/** The stored events of background responses, by sequence number (what a resumed stream re-reads). */

export async function appendResponseEvents(
  database: Queryable,
  organizationId: string,
  responseId: string,
  events: readonly SequencedResponseStreamEvent[],
): Promise<void> {
  if (events.length === 0) return;
  const values: string[] = [];
  const parameters: unknown[] = [responseId, organizationId];
  for (const event of events) {
    parameters.push(event.sequence_number, JSON.stringify(event));
    values.push(`($1, $2, $${parameters.length - 1}, $${parameters.length}::jsonb)`);
  }
  await database.query(
    `INSERT INTO response_events (response_id, organization_id, sequence_number, event)
     VALUES ${values.join(', ')} ON CONFLICT (response_id, sequence_number) DO NOTHING`,
    parameters,
  );
}

/** Up to `limit` events after `after` (-1 for all), in order. */
export async function readResponseEvents(
  database: Queryable,
  organizationId: string,
  responseId: string,
  after: number,
  limit: number,
): Promise<SequencedResponseStreamEvent[]> {
  const result = await database.query<{ event: SequencedResponseStreamEvent }>(
    `SELECT event FROM response_events
      WHERE organization_id = $1 AND response_id = $2 AND sequence_number > $3
      ORDER BY sequence_number LIMIT $4`,
    [organizationId, responseId, after, limit],
  );
  return result.rows.map((row) => row.event);
}

/** Drops the events from `sequenceNumber` on: a run that died is run again from there. */
export async function deleteResponseEventsFrom(
  database: Queryable,
  organizationId: string,
  responseId: string,
  sequenceNumber: number,
): Promise<void> {
  await database.query(
    'DELETE FROM response_events WHERE organization_id = $1 AND response_id = $2 AND sequence_number >= $3',
    [organizationId, responseId, sequenceNumber],
  );
}
