import { describe, expect, it } from 'vitest';
import { createMemoryKeyValueStore } from './memory-key-value-store.ts';
import { type KeyValueOperation, timedKeyValueStore } from './timed-key-value-store.ts';

describe('timedKeyValueStore', () => {
  it('answers as the store does and reports each operation, failures included', async () => {
    const observed: KeyValueOperation[] = [];
    const store = timedKeyValueStore(createMemoryKeyValueStore(), (operation, seconds) => {
      expect(seconds).toBeGreaterThanOrEqual(0);
      observed.push(operation);
    });
    await store.set('greeting', 'hello');
    expect(await store.get('greeting')).toBe('hello');
    expect(await store.increment('count', 2)).toBe(2);
    expect(await store.setIfAbsent('greeting', 'again', { ttlMs: 1000 })).toBe(false);
    await expect(store.increment('count', 0.5)).rejects.toThrow();
    expect(await store.delete('greeting')).toBe(true);
    expect(observed).toEqual(['set', 'get', 'increment', 'setIfAbsent', 'increment', 'delete']);
    expect(store.backend).toBe('memory');
    await store.close();
  });
});
