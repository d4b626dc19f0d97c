import type { Database } from '../../storage/db/index.ts';
import type { EventBus } from '../../storage/pubsub/index.ts';
import type { SwarmEvent, SwarmEventType } from '../swarm-types.ts';

/** The pub/sub channel that tells readers a run has new events (the events themselves are in the store). */
export function runEventsChannel(runId: string): string {
  return `swarm-events:${runId}`;
}

export interface PendingEvent {
  /** Unique within the run: a replayed step re-emits its events and the duplicates are dropped. */
  key: string;
  type: SwarmEventType;
  data: Record<string, unknown>;
}

interface QueuedEvent extends PendingEvent {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Appends a run's events in batches. One statement numbers a batch from the run's counter and
 * inserts it; the counter's row lock makes commit order equal sequence order, so a reader that
 * asks for "events after N" never sees N+2 before N+1.
 */
export class RunEventWriter {
  readonly #queued: QueuedEvent[] = [];
  #flushing: Promise<void> | null = null;

  constructor(
    private readonly database: Database,
    private readonly eventBus: EventBus,
    private readonly runId: string,
    private readonly organizationId: string,
    private readonly onPublishError: (error: unknown) => void = () => {},
  ) {}

  /** Queues an event; resolves once it is stored (a caller may also not wait). */
  emit(event: PendingEvent): Promise<void> {
    const stored = new Promise<void>((resolve, reject) => {
      this.#queued.push({ ...event, resolve, reject });
    });
    this.#flushing ??= this.#flushLoop();
    return stored;
  }

  /** Resolves once every event emitted so far is stored. */
  async drain(): Promise<void> {
    while (this.#flushing) await this.#flushing;
  }

  async #flushLoop(): Promise<void> {
    // why: a microtask's delay lets events emitted in the same tick share one statement.
    await Promise.resolve();
    try {
      while (this.#queued.length > 0) {
        const batch = this.#queued.splice(0, 500);
        try {
          await appendEvents(this.database, this.runId, this.organizationId, batch);
          for (const event of batch) event.resolve();
        } catch (error) {
          for (const event of batch) event.reject(error);
        }
        this.eventBus
          .publish(runEventsChannel(this.runId), 'appended')
          .catch((error: unknown) => this.onPublishError(error));
      }
    } finally {
      this.#flushing = null;
    }
  }
}

/** Appends events to a run in one statement (also used outside a worker, e.g. by a cancel). */
export async function appendEvents(
  database: Database,
  runId: string,
  organizationId: string,
  events: readonly PendingEvent[],
): Promise<void> {
  if (events.length === 0) return;
  // why: keys already stored (a replay re-emitting) take no sequence number, so numbers stay gapless.
  await database.query(
    `WITH item AS (
       SELECT key, type, data, position FROM unnest($3::text[], $4::text[], $5::text[])
         WITH ORDINALITY AS item(key, type, data, position)
     ), fresh AS (
       SELECT DISTINCT ON (item.key) item.key, item.type, item.data, item.position FROM item
       WHERE NOT EXISTS (SELECT 1 FROM swarm_events stored WHERE stored.run_id = $1 AND stored.event_key = item.key)
       ORDER BY item.key, item.position
     ), numbered AS (
       SELECT key, type, data, row_number() OVER (ORDER BY position) AS rank FROM fresh
     ), next AS (
       UPDATE swarm_runs SET event_count = event_count + (SELECT count(*) FROM fresh)
       WHERE id = $1 RETURNING event_count - (SELECT count(*) FROM fresh) AS base
     )
     INSERT INTO swarm_events (run_id, sequence, event_key, organization_id, type, data)
     SELECT $1, next.base + numbered.rank, numbered.key, $2, numbered.type, numbered.data::jsonb
     FROM next, numbered
     ON CONFLICT (run_id, event_key) DO NOTHING`,
    [
      runId,
      organizationId,
      events.map((event) => event.key),
      events.map((event) => event.type),
      events.map((event) => JSON.stringify(event.data)),
    ],
  );
}

/** A run's events after `afterSequence`, in order. */
export async function readEvents(
  database: Database,
  runId: string,
  afterSequence: number,
  limit = 1000,
): Promise<SwarmEvent[]> {
  const result = await database.query<{
    sequence: number;
    type: SwarmEventType;
    data: Record<string, unknown>;
    created_at: Date;
  }>(
    `SELECT sequence, type, data, created_at FROM swarm_events
     WHERE run_id = $1 AND sequence > $2 ORDER BY sequence LIMIT $3`,
    [runId, afterSequence, limit],
  );
  return result.rows.map((row) => ({
    sequence: Number(row.sequence),
    type: row.type,
    data: row.data,
    createdAt: row.created_at,
  }));
}
