import type { Database } from '../storage/db/index.ts';
import type { Clock } from '../support/index.ts';
import { recordKeysLastUsed } from './api-key-repository.ts';

/**
 * Remembers when each key was last used and writes them in one statement every `flushIntervalMs`
 * (and at close): `last_used_at` without a database write per request.
 */
export interface KeyUseRecorder {
  /** Notes a use now: a map write, nothing else. */
  touch(apiKeyId: string): void;
  flush(): Promise<void>;
  start(): void;
  close(): Promise<void>;
}

export function createKeyUseRecorder(options: {
  database: Database;
  clock: Clock;
  flushIntervalMs: number;
  onError?: (error: unknown) => void;
}): KeyUseRecorder {
  let pending = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  async function write(batch: Map<string, number>): Promise<void> {
    if (batch.size === 0) return;
    const uses = new Map([...batch].map(([id, at]) => [id, new Date(at)] as const));
    try {
      await recordKeysLastUsed(options.database, uses);
    } catch (error) {
      // why: a failed write is retried with the next batch; a newer use of the same key wins.
      for (const [id, at] of batch) if ((pending.get(id) ?? 0) < at) pending.set(id, at);
      options.onError?.(error);
    }
  }

  function flush(): Promise<void> {
    const batch = pending;
    pending = new Map();
    flushing = flushing.then(() => write(batch));
    return flushing;
  }

  return {
    touch(apiKeyId) {
      pending.set(apiKeyId, options.clock.now());
    },
    flush,
    start() {
      timer = setInterval(() => void flush(), options.flushIntervalMs);
      timer.unref();
    },
    async close() {
      if (timer) clearInterval(timer);
      await flush();
    },
  };
}
