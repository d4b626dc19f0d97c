import { Redis } from 'ioredis';

export interface FailFastRedisOptions {
  url: string;
  /** Bound on connecting and on each command. Default 1000 ms. */
  timeoutMs?: number;
  /** Receives connection errors (the calls that hit them reject as well). Ignored by default. */
  onError?: (error: Error) => void;
  /**
   * Sends the commands issued in one event-loop turn as one write (ioredis auto-pipelining). For
   * request/response clients under concurrent load; not for a subscriber connection.
   */
  autoPipelining?: boolean;
  /**
   * For a subscriber connection: skip ioredis's ready check (an INFO after connecting). why: a
   * SUBSCRIBE written before that INFO puts the connection in subscriber mode, the server refuses
   * the INFO, and ioredis drops the connection, failing whatever was queued on it.
   */
  subscriber?: boolean;
}

/**
 * An ioredis client for request-path work (cache, counters, locks, events) that rejects quickly
 * while Redis is unreachable and reconnects on its own when it returns.
 *
 * why: ioredis defaults queue commands while disconnected and retry each one 20 times, so a call
 * made during an outage hangs for many seconds; callers on the hot path need an error they can
 * degrade on. The choices:
 * - the offline queue is on only until the first connection attempt ends, so calls made right
 *   after start-up wait for the connection instead of failing; after that, a call made while
 *   disconnected rejects at once;
 * - `maxRetriesPerRequest: 0` flushes calls queued during a failed first attempt immediately;
 * - `connectTimeout` and `commandTimeout` bound a server that accepts but never answers;
 * - reconnection retries forever, at most a second apart, so recovery is prompt.
 */
export function createFailFastRedisClient(options: FailFastRedisOptions): Redis {
  const timeoutMs = options.timeoutMs ?? 1000;
  const client = new Redis(options.url, {
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: true,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    enableAutoPipelining: options.autoPipelining ?? false,
    enableReadyCheck: !(options.subscriber ?? false),
  });
  const stopQueueingOffline = () => {
    client.options.enableOfflineQueue = false;
  };
  client.once('ready', stopQueueingOffline);
  client.once('close', stopQueueingOffline);
  // why: without a listener ioredis prints every failed reconnection as an unhandled error.
  client.on('error', options.onError ?? (() => {}));
  return client;
}

/** Closes a client politely when connected and at once otherwise, never rejecting. */
export async function closeRedisClient(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  if (client.status === 'ready') {
    try {
      await client.quit();
      return;
    } catch {
      // Falls through to a hard disconnect: the connection is already broken.
    }
  }
  client.disconnect();
}
