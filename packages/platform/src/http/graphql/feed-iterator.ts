/** A running feed of items: closing it stops deliveries. */
export interface Feed {
  close(): Promise<void>;
}

/** Starts a feed: `deliver` each item (awaited, for backpressure), `end` once, with the error if it failed. */
export type FeedStarter<Item> = (
  deliver: (item: Item) => Promise<void>,
  end: (error?: unknown) => void,
) => Promise<Feed>;

/** Items a feed may deliver before a slow client makes it wait. */
const highWaterMark = 64;

/**
 * A callback feed as the async iterator GraphQL subscriptions consume. `return()` (the client
 * unsubscribed or went away) closes the feed at once, even while no item is pending, which an
 * async generator could not do: its `return` waits for the next `yield`.
 */
export function feedIterator<Item>(start: FeedStarter<Item>): AsyncIterableIterator<Item> {
  const queue: Item[] = [];
  let ended = false;
  let closed = false;
  let failure: unknown;
  let waiting: ((result: IteratorResult<Item>) => void) | null = null;
  let failWaiting: ((error: unknown) => void) | null = null;
  let roomWaiters: Array<() => void> = [];
  let feed: Feed | null = null;

  const wakeRoom = () => {
    const waiters = roomWaiters;
    roomWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const settleWaiting = () => {
    if (!waiting) return;
    const resolve = waiting;
    const reject = failWaiting;
    if (queue.length > 0) {
      waiting = null;
      failWaiting = null;
      resolve({ value: queue.shift() as Item, done: false });
      wakeRoom();
    } else if (ended || closed) {
      waiting = null;
      failWaiting = null;
      if (failure !== undefined && !closed) reject?.(failure);
      else resolve({ value: undefined, done: true });
    }
  };

  const started = start(
    async (item) => {
      if (closed) return;
      queue.push(item);
      settleWaiting();
      while (queue.length >= highWaterMark && !closed) {
        await new Promise<void>((resolve) => roomWaiters.push(resolve));
      }
    },
    (error) => {
      ended = true;
      failure = error;
      settleWaiting();
    },
  ).then(
    (running) => {
      feed = running;
      if (closed) void running.close();
    },
    (error) => {
      ended = true;
      failure = error ?? new Error('the feed could not start');
      settleWaiting();
    },
  );

  const close = async () => {
    if (closed) return;
    closed = true;
    queue.length = 0;
    wakeRoom();
    settleWaiting();
    await started;
    await (feed as Feed | null)?.close();
  };

  return {
    next() {
      if (queue.length > 0) {
        const value = queue.shift() as Item;
        wakeRoom();
        return Promise.resolve({ value, done: false });
      }
      if (closed || ended) {
        if (ended && failure !== undefined && !closed) {
          const error = failure;
          failure = undefined;
          return Promise.reject(error);
        }
        return Promise.resolve({ value: undefined, done: true });
      }
      return new Promise((resolve, reject) => {
        waiting = resolve;
        failWaiting = reject;
      });
    },
    async return() {
      await close();
      return { value: undefined, done: true };
    },
    async throw(error?: unknown) {
      await close();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
