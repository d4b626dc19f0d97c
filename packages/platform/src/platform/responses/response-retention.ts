import type { ResponseServices } from './response-services.ts';

export interface RetentionSweep {
  close(): Promise<void>;
}

/**
 * Deletes responses past `responses.retention_days` every `intervalMs` (reads already skip them,
 * so the sweep only reclaims space), in batches so one sweep never holds a long statement.
 */
export function startRetentionSweep(options: {
  responses: ResponseServices;
  intervalMs: number;
  batchSize?: number;
  onError: (error: unknown) => void;
}): RetentionSweep {
  const batchSize = options.batchSize ?? 1000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let closed = false;

  async function sweep(): Promise<void> {
    try {
      while (!closed && (await options.responses.sweepExpired(batchSize)) === batchSize) {
        // another full batch: keep going
      }
    } catch (error) {
      options.onError(error);
    }
  }

  function schedule(): void {
    if (closed) return;
    timer = setTimeout(() => {
      running = sweep().finally(schedule);
    }, options.intervalMs);
    timer.unref();
  }

  schedule();
  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      await running;
    },
  };
}
