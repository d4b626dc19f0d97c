import type { KeyValueStore } from './key-value-store.ts';

/** The operations a {@link timedKeyValueStore} reports; `close` is not timed. */
export type KeyValueOperation = Exclude<keyof KeyValueStore, 'backend' | 'shared' | 'close'>;

/**
 * The same store, telling `observe` how long each operation took (failures included), for the
 * Redis latency metrics. The store's own behaviour is unchanged.
 */
export function timedKeyValueStore(
  store: KeyValueStore,
  observe: (operation: KeyValueOperation, seconds: number) => void,
): KeyValueStore {
  const timed = async <Result>(operation: KeyValueOperation, call: () => Promise<Result>) => {
    const started = performance.now();
    try {
      return await call();
    } finally {
      observe(operation, (performance.now() - started) / 1000);
    }
  };
  return {
    backend: store.backend,
    shared: store.shared,
    get: (key) => timed('get', () => store.get(key)),
    set: (key, value, options) => timed('set', () => store.set(key, value, options)),
    setIfAbsent: (key, value, options) => timed('setIfAbsent', () => store.setIfAbsent(key, value, options)),
    delete: (key) => timed('delete', () => store.delete(key)),
    increment: (key, amount, options) => timed('increment', () => store.increment(key, amount, options)),
    compareAndDelete: (key, expected) =>
      timed('compareAndDelete', () => store.compareAndDelete(key, expected)),
    timeToLiveMs: (key) => timed('timeToLiveMs', () => store.timeToLiveMs(key)),
    runAtomic: (operation, keys, args) => timed('runAtomic', () => store.runAtomic(operation, keys, args)),
    ping: () => timed('ping', () => store.ping()),
    close: () => store.close(),
  };
}
