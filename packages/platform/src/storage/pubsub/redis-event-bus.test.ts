import { describe, expect, it } from 'vitest';
import {
  retryUntilResolved,
  startRedisOutageProxy,
  unusedPort,
} from '../../../test/support/redis-test-support.ts';
import { redisAvailable, testRedisUrl, uniqueRedisPrefix } from '../../../test/support/services.ts';
import { runEventBusContract } from './event-bus.contract.ts';
import { createRedisEventBus } from './redis-event-bus.ts';

const redis = await redisAvailable();
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

async function eventually(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(5);
  }
}

// Publishing creates no keys, so there is nothing to delete afterwards; unique prefixes keep
// suites running side by side from hearing each other.
describe.runIf(redis)('redis event bus', () => {
  runEventBusContract('redis', async ({ onHandlerError }) => {
    const bus = createRedisEventBus({
      url: testRedisUrl,
      channelPrefix: uniqueRedisPrefix('event-bus'),
      onHandlerError,
    });
    return { bus, cleanup: () => bus.close() };
  });

  it('delivers across bus instances that share a prefix, and not across prefixes', async () => {
    const channelPrefix = uniqueRedisPrefix('event-bus');
    const publisher = createRedisEventBus({ url: testRedisUrl, channelPrefix });
    const listener = createRedisEventBus({ url: testRedisUrl, channelPrefix });
    const stranger = createRedisEventBus({
      url: testRedisUrl,
      channelPrefix: uniqueRedisPrefix('event-bus'),
    });
    const heard: string[] = [];
    const overheard: string[] = [];
    await listener.subscribe('runs', (message) => heard.push(message));
    await stranger.subscribe('runs', (message) => overheard.push(message));
    await publisher.publish('runs', 'run-1 started');
    await eventually(() => heard.length === 1);
    await stranger.publish('runs', 'marker');
    await eventually(() => overheard.length === 1);
    expect(heard).toEqual(['run-1 started']);
    expect(overheard).toEqual(['marker']);
    await Promise.all([publisher.close(), listener.close(), stranger.close()]);
  });

  it('is created without throwing and rejects quickly when Redis is unreachable', async () => {
    const bus = createRedisEventBus({ url: `redis://127.0.0.1:${await unusedPort()}` });
    const started = performance.now();
    await expect(bus.publish('channel', 'message')).rejects.toThrow();
    await expect(bus.subscribe('channel', () => {})).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(1_500);
    await bus.close();
  });

  it('subscribes again after Redis comes back', async () => {
    const proxy = await startRedisOutageProxy(testRedisUrl);
    const channelPrefix = uniqueRedisPrefix('event-bus');
    const listener = createRedisEventBus({ url: proxy.url, channelPrefix });
    const publisher = createRedisEventBus({ url: testRedisUrl, channelPrefix });
    const received: string[] = [];
    await listener.subscribe('progress', (message) => received.push(message));
    await publisher.publish('progress', 'before');
    await eventually(() => received.length === 1);

    await proxy.stop();
    await expect(listener.publish('progress', 'during')).rejects.toThrow();
    await proxy.start();
    // The subscription is restored once the listener reconnected; until then messages are lost.
    await retryUntilResolved(async () => {
      await publisher.publish('progress', 'after');
      await eventually(() => received.at(-1) === 'after', 100);
    }, 5_000);
    expect(received[0]).toBe('before');
    expect(received).not.toContain('during');
    await Promise.all([listener.close(), publisher.close()]);
    await proxy.stop();
  });
});
