import type { Clock } from './clock.ts';

/** A transaction's updated_at is its start time, which can precede its commit: poll with overlap. */
const overlapMs = 10_000;

export interface ChangePoller {
  /** Polls once now (start-up), then every interval until stopped. */
  start(): Promise<void>;
  stop(): void;
}

/**
 * Polls the store for rows changed since the last poll and hands each changed id to `onChange`.
 * This is the cross-process invalidation that works without Redis; pub/sub only makes it faster.
 */
export function createChangePoller(options: {
  clock: Clock;
  intervalMs: number;
  changedSince(since: Date): Promise<{ changed: string[]; databaseNow: Date }>;
  onChange(id: string): void;
  onError?: (error: unknown) => void;
}): ChangePoller {
  let cursor: Date | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function poll(): Promise<void> {
    try {
      const { changed, databaseNow } = await options.changedSince(
        cursor ?? new Date(options.clock.now() - overlapMs),
      );
      for (const id of changed) options.onChange(id);
      cursor = new Date(databaseNow.getTime() - overlapMs);
    } catch (error) {
      options.onError?.(error);
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      void poll().finally(schedule);
    }, options.intervalMs);
    timer.unref();
  }

  return {
    async start() {
      await poll();
      schedule();
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
