import { closedDatabaseError } from './database-error.ts';

/** Tracks a store's in-flight operations so that `close()` lets them finish first. */
export interface Lifecycle {
  readonly closed: boolean;
  /** Starts `operation` unless the store is closing; rejects otherwise. */
  run<T>(operation: () => Promise<T>): Promise<T>;
  /** Waits for in-flight operations, then releases the resource once; later calls share the result. */
  close(): Promise<void>;
}

/** Creates the lifecycle of one store; `release` frees its connection(s) or engine. */
export function createLifecycle(release: () => Promise<void>): Lifecycle {
  const inFlight = new Set<Promise<unknown>>();
  let closing: Promise<void> | undefined;
  return {
    get closed() {
      return closing !== undefined;
    },
    run<T>(operation: () => Promise<T>): Promise<T> {
      if (closing) return Promise.reject(closedDatabaseError());
      const promise = operation();
      inFlight.add(promise);
      const forget = () => inFlight.delete(promise);
      promise.then(forget, forget);
      return promise;
    },
    close(): Promise<void> {
      closing ??= (async () => {
        await Promise.allSettled([...inFlight]);
        await release();
      })();
      return closing;
    },
  };
}
