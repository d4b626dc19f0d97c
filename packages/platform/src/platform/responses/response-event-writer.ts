import type { Queryable } from '../../storage/db/index.ts';
import type { EventBus } from '../../storage/pubsub/index.ts';
import { appendResponseEvents } from './response-event-repository.ts';
import type { SequencedResponseStreamEvent } from './response-stream-events.ts';

/** The channel that tells followers of a background response that new events are stored. */
export function responseEventsChannel(responseId: string): string {
  return `responses:events:${responseId}`;
}

/**
 * Stores a background response's events in order: writes are chained (one batch at a time, so a
 * reader never sees event N+1 before event N), events arriving during a write go in the next
 * batch, and followers are told after each batch.
 */
export class BackgroundEventWriter {
  #pending: SequencedResponseStreamEvent[] = [];
  #chain: Promise<void> = Promise.resolve();
  #next: number;

  constructor(
    private readonly database: Queryable,
    private readonly eventBus: EventBus,
    private readonly organizationId: string,
    private readonly responseId: string,
    firstSequenceNumber = 2,
  ) {
    this.#next = firstSequenceNumber;
  }

  /** The sequence number the next event gets. */
  get next(): number {
    return this.#next;
  }

  /** Queues one event; resolves once it is stored. */
  write(event: SequencedResponseStreamEvent): Promise<void> {
    this.#next = event.sequence_number + 1;
    this.#pending.push(event);
    this.#chain = this.#chain.then(() => this.#flush());
    return this.#chain;
  }

  /** Resolves when every queued event is stored (rejects when a write failed). */
  flushed(): Promise<void> {
    return this.#chain;
  }

  async #flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    await appendResponseEvents(this.database, this.organizationId, this.responseId, batch);
    await this.eventBus.publish(
      responseEventsChannel(this.responseId),
      String(batch.at(-1)?.sequence_number),
    );
  }
}
