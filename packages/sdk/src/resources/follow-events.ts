import { ConnectionError, KimiError } from '../errors/index.ts';
import { parseServerSentEvents, type ServerSentEvent, type Transport } from '../transport/index.ts';

export interface FollowOptions {
  path: string;
  /** Resume after this event id (sequence number); default from the start. */
  after?: number;
  signal?: AbortSignal;
  /** True for the event that ends the stream. */
  isTerminal(event: ServerSentEvent): boolean;
  /** Reconnections in a row without a new event before giving up. Default 5. */
  maxReconnects?: number;
  /** Wait before the first reconnection; doubled each time, at most 5 s. Default 250 ms. */
  reconnectDelayMs?: number;
}

const pause = (milliseconds: number, signal: AbortSignal | undefined) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, milliseconds);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/**
 * Follows a resumable SSE stream (swarm and document events): yields each event once, in order,
 * and after a dropped connection reconnects with `Last-Event-ID` set to the last event seen, so
 * no event is lost or repeated. Ends after the terminal event, or when `signal` aborts.
 */
export async function* followEvents(
  transport: Transport,
  options: FollowOptions,
): AsyncGenerator<ServerSentEvent, void, undefined> {
  let lastId = options.after !== undefined && options.after > 0 ? String(options.after) : undefined;
  const maxReconnects = options.maxReconnects ?? 5;
  let failuresInARow = 0;
  let lastFailure: unknown;
  while (!options.signal?.aborted) {
    let progressed = false;
    try {
      const response = await transport.stream({
        method: 'GET',
        path: options.path,
        headers: {
          accept: 'text/event-stream',
          ...(lastId === undefined ? {} : { 'last-event-id': lastId }),
        },
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (!response.body)
        throw new ConnectionError({ message: 'The event stream has no body.', code: 'CONNECTION_ERROR' });
      for await (const event of parseServerSentEvents(response.body)) {
        if (event.id !== undefined) {
          // why: after a reconnection the server starts after Last-Event-ID; never yield an event twice
          if (lastId !== undefined && Number(event.id) <= Number(lastId)) continue;
          lastId = event.id;
        }
        progressed = true;
        failuresInARow = 0;
        yield event;
        if (options.isTerminal(event)) return;
      }
      // the server ended the stream without the terminal event: reconnect and pick up after lastId
    } catch (error) {
      if (options.signal?.aborted) return;
      // errors with an answer (404, 401…) will not go away by reconnecting
      if (error instanceof KimiError && error.status !== undefined) throw error;
      lastFailure = error;
    }
    if (!progressed) failuresInARow += 1;
    if (failuresInARow > maxReconnects) {
      if (lastFailure instanceof KimiError) throw lastFailure;
      throw new ConnectionError({
        message: `The event stream ${options.path} kept dropping without new events.`,
        code: 'CONNECTION_ERROR',
        recoveryHint: 'Check the connection; call watch again with `after` set to the last sequence seen.',
        ...(lastFailure === undefined ? {} : { cause: lastFailure }),
      });
    }
    if (!progressed) {
      await pause(
        Math.min(5_000, (options.reconnectDelayMs ?? 250) * 2 ** (failuresInARow - 1)),
        options.signal,
      );
    }
  }
}
