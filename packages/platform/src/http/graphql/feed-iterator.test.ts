import { describe, expect, it } from 'vitest';
import { feedIterator } from './feed-iterator.ts';

describe('feedIterator', () => {
  it('yields what the feed delivers, in order, and ends when the feed ends', async () => {
    const iterator = feedIterator<number>(async (deliver, end) => {
      void (async () => {
        for (const item of [1, 2, 3]) await deliver(item);
        end();
      })();
      return { close: async () => {} };
    });
    const items: number[] = [];
    for await (const item of iterator) items.push(item);
    expect(items).toEqual([1, 2, 3]);
  });

  it('closes the feed on return() even while no item is pending', async () => {
    let closed = false;
    const iterator = feedIterator<number>(async () => ({
      close: async () => {
        closed = true;
      },
    }));
    const pending = iterator.next();
    await iterator.return?.();
    expect(closed).toBe(true);
    expect(await pending).toEqual({ value: undefined, done: true });
  });

  it('rejects with the error the feed ended with', async () => {
    const iterator = feedIterator<number>(async (_deliver, end) => {
      queueMicrotask(() => end(new Error('store unreachable')));
      return { close: async () => {} };
    });
    await expect(iterator.next()).rejects.toThrow('store unreachable');
  });

  it('makes a fast feed wait for a slow reader instead of queueing without bound', async () => {
    let delivered = 0;
    const iterator = feedIterator<number>(async (deliver) => {
      void (async () => {
        for (let item = 0; item < 1000; item++) {
          await deliver(item);
          delivered++;
        }
      })();
      return { close: async () => {} };
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(delivered).toBeLessThan(100);
    expect((await iterator.next()).value).toBe(0);
    await iterator.return?.();
  });
});
