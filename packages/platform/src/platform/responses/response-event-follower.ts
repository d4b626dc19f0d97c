import type { Database } from '../../storage/db/index.ts';
import type { EventBus } from '../../storage/pubsub/index.ts';
import type { Clock } from '../../support/index.ts';
import { readResponseEvents } from './response-event-repository.ts';
import { responseEventsChannel } from './response-event-writer.ts';
import { findResponse } from './response-repository.ts';
import type { SequencedResponseStreamEvent } from './response-stream-events.ts';

const terminalEvents = new Set(['response.completed', 'response.incomplete', 'response.failed']);

export interface FollowOptions {
  database: Database;
  eventBus: EventBus;
  clock: Clock;
  organizationId: string;
  responseId: string;
  /** Deliver the events after this sequence number (-1: from the first). */
  after: number;
  onEvent(event: SequencedResponseStreamEvent): void | Promise<void>;
  signal: AbortSignal;
  /** How often the store is re-read when no notice arrives. */
  pollIntervalMs: number;
}

/**
 * Delivers a background response's stored events in order, then the live ones as they are
 * stored, until its final event (`response.completed`, `.incomplete`, `.failed`), until it is
 * cancelled and no event is left, or until `signal` aborts. Notices on the event bus wake it; a
 * poll catches what a notice missed (delivery on the bus is at-most-once).
 */
export async function followResponseEvents(options: FollowOptions): Promise<void> {
  const { organizationId, responseId, signal } = options;
  const database = options.database.forOrganization(organizationId);
  let wake: (() => void) | null = null;
  const unsubscribe = await options.eventBus.subscribe(responseEventsChannel(responseId), () => wake?.());
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort);
  let after = options.after;
  let idleAfterFinish = 0;
  try {
    while (!signal.aborted) {
      const events = await readResponseEvents(database, organizationId, responseId, after, 500);
      for (const event of events) {
        if (signal.aborted) return;
        await options.onEvent(event);
        after = event.sequence_number;
        if (terminalEvents.has(event.type)) return;
      }
      if (events.length > 0) continue;
      const state = await findResponse(database, organizationId, responseId, options.clock.now());
      if (!state || state.status === 'cancelled') {
        const rest = await readResponseEvents(database, organizationId, responseId, after, 500);
        for (const event of rest) await options.onEvent(event);
        return;
      }
      // why: a finished response whose final event never came (its writer died) ends the stream too.
      if (state.status !== 'queued' && state.status !== 'in_progress' && ++idleAfterFinish > 3) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.pollIntervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    await unsubscribe();
  }
}
