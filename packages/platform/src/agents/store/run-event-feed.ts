import type { Database } from '../../storage/db/index.ts';
import type { EventBus, Unsubscribe } from '../../storage/pubsub/index.ts';
import type { SwarmEvent } from '../swarm-types.ts';
import { readEvents, runEventsChannel } from './swarm-event-log.ts';

export interface RunEventFeed {
  close(): Promise<void>;
}

/**
 * Delivers a run's events after `afterSequence`, in order and without gaps, until the terminal
 * one: the store is the source, a pub/sub notice says when to read it again, and a slow poll
 * covers notices lost between processes. `deliver` is awaited (backpressure).
 */
export async function followRunEvents(
  dependencies: { database: Database; eventBus: EventBus; pollIntervalMs?: number },
  runId: string,
  afterSequence: number,
  deliver: (event: SwarmEvent) => Promise<void> | void,
  onEnd: (error?: unknown) => void,
): Promise<RunEventFeed> {
  let last = afterSequence;
  let closed = false;
  let reading = false;
  let again = false;
  const finish = (error?: unknown) => {
    if (closed) return;
    closed = true;
    clearInterval(poll);
    void unsubscribe?.().catch(() => {});
    onEnd(error);
  };
  const pump = async () => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        for (;;) {
          if (closed) return;
          const events = await readEvents(dependencies.database, runId, last, 500);
          for (const event of events) {
            if (closed) return;
            await deliver(event);
            last = event.sequence;
            if (event.type === 'run-end' || event.type === 'run-error') {
              finish();
              return;
            }
          }
          if (events.length < 500) break;
        }
      } while (again);
    } catch (error) {
      finish(error);
    } finally {
      reading = false;
    }
  };
  let unsubscribe: Unsubscribe | null = null;
  const poll = setInterval(() => void pump(), dependencies.pollIntervalMs ?? 1000);
  poll.unref();
  unsubscribe = await dependencies.eventBus.subscribe(runEventsChannel(runId), () => void pump());
  void pump();
  return {
    async close() {
      finish();
    },
  };
}
