import { describe, expect, it } from 'vitest';
import { runEventBusContract } from './event-bus.contract.ts';
import { createMemoryEventBus } from './memory-event-bus.ts';

runEventBusContract('memory', async ({ onHandlerError }) => {
  const bus = createMemoryEventBus({ onHandlerError });
  return { bus, cleanup: () => bus.close() };
});

describe('memory event bus', () => {
  it('does not deliver a message to a handler unsubscribed before delivery', async () => {
    const bus = createMemoryEventBus();
    const received: string[] = [];
    const unsubscribe = await bus.subscribe('channel', (message) => received.push(message));
    const publishing = bus.publish('channel', 'in flight');
    await unsubscribe();
    await publishing;
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(received).toEqual([]);
    await bus.close();
  });

  it('rejects calls after close', async () => {
    const bus = createMemoryEventBus();
    await bus.close();
    await expect(bus.publish('channel', 'message')).rejects.toThrow(/closed/);
    await expect(bus.subscribe('channel', () => {})).rejects.toThrow(/closed/);
  });
});
