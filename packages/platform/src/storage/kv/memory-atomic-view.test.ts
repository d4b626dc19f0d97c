import { describe, expect, it } from 'vitest';
import type { AtomicOperation } from './atomic-operation.ts';
import { createMemoryKeyValueStore } from './memory-key-value-store.ts';

const bump: AtomicOperation<number> = {
  name: 'test-bump',
  lua: `return redis.call('HINCRBY', KEYS[1], 'count', 1)`,
  memory: (store, keys) => store.hashIncrement(keys[0]!, 'count', 1),
};

describe('atomic operations on the in-process store', () => {
  it('keeps keys an operation keeps writing ahead of idle keys when the store is full', async () => {
    const store = createMemoryKeyValueStore({ maxEntries: 3 });
    await store.runAtomic(bump, ['busy-counter'], []);
    await store.set('idle-1', 'x');
    await store.set('idle-2', 'x');
    await store.runAtomic(bump, ['busy-counter'], []);
    await store.set('new', 'x');
    expect(await store.get('idle-1')).toBeNull();
    expect(await store.runAtomic(bump, ['busy-counter'], [])).toBe(3);
    await store.close();
  });

  it('passes arguments as the strings Lua would see', async () => {
    const store = createMemoryKeyValueStore();
    const echo: AtomicOperation<readonly string[]> = {
      name: 'test-echo',
      lua: 'return ARGV',
      memory: (_store, _keys, args) => args,
    };
    expect(await store.runAtomic(echo, [], [1, 'two', 2.5, -3])).toEqual(['1', 'two', '2.5', '-3']);
    await store.close();
  });

  it('rejects operations after close', async () => {
    const store = createMemoryKeyValueStore();
    await store.close();
    await expect(store.runAtomic(bump, ['key'], [])).rejects.toThrow(/closed/);
  });
});
