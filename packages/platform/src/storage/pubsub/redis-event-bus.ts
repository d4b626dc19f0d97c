import { closeRedisClient, createFailFastRedisClient } from '../redis/index.ts';
import type { EventBus, Unsubscribe } from './event-bus.ts';
import { type HandlerErrorReporter, warnAboutHandlerError } from './handler-errors.ts';

export interface RedisEventBusOptions {
  url: string;
  /** Prepended to every channel name, so deployments sharing one Redis do not hear each other. */
  channelPrefix?: string;
  /** Bound on connecting and on each command. Default 1000 ms. */
  timeoutMs?: number;
  /** Receives what a handler threw; a process warning by default. */
  onHandlerError?: HandlerErrorReporter;
  /** Receives connection errors; calls that hit them reject as well. */
  onConnectionError?: (error: Error) => void;
}

interface Subscription {
  handler: (message: string) => void;
}

interface ChannelState {
  subscriptions: Set<Subscription>;
  /** Settles when Redis acknowledged SUBSCRIBE for this channel. */
  subscribed: Promise<unknown>;
}

/**
 * The scaled-out event bus on Redis pub/sub: one connection publishes, one listens. However many
 * handlers a channel has, it holds one Redis subscription, dropped with its last handler. After a
 * reconnection ioredis subscribes again to every channel (`autoResubscribe`); messages published
 * while disconnected are lost, as pub/sub is at-most-once.
 */
export function createRedisEventBus(options: RedisEventBusOptions): EventBus {
  const connection = { url: options.url, timeoutMs: options.timeoutMs, onError: options.onConnectionError };
  const publisher = createFailFastRedisClient(connection);
  const subscriber = createFailFastRedisClient({ ...connection, subscriber: true });
  const channelPrefix = options.channelPrefix ?? '';
  const reportError = options.onHandlerError ?? warnAboutHandlerError;
  const channels = new Map<string, ChannelState>();

  subscriber.on('message', (redisChannel: string, message: string) => {
    const state = channels.get(redisChannel);
    if (state === undefined) return;
    for (const subscription of [...state.subscriptions]) {
      // A handler removed by an earlier handler of the same message is not called.
      if (!state.subscriptions.has(subscription)) continue;
      try {
        subscription.handler(message);
      } catch (error) {
        reportError(error, redisChannel.slice(channelPrefix.length));
      }
    }
  });

  const release = (redisChannel: string, state: ChannelState, subscription: Subscription) => {
    if (!state.subscriptions.delete(subscription)) return undefined;
    if (state.subscriptions.size > 0 || channels.get(redisChannel) !== state) return undefined;
    channels.delete(redisChannel);
    return subscriber.unsubscribe(redisChannel);
  };

  return {
    backend: 'redis',

    async publish(channel, message) {
      await publisher.publish(`${channelPrefix}${channel}`, message);
    },

    async subscribe(channel, handler): Promise<Unsubscribe> {
      const redisChannel = `${channelPrefix}${channel}`;
      let state = channels.get(redisChannel);
      if (state === undefined) {
        state = { subscriptions: new Set(), subscribed: subscriber.subscribe(redisChannel) };
        channels.set(redisChannel, state);
      }
      const subscription: Subscription = { handler };
      state.subscriptions.add(subscription);
      try {
        await state.subscribed;
      } catch (error) {
        release(redisChannel, state, subscription)?.catch(() => {});
        throw error;
      }
      const subscribedState = state;
      return async () => {
        try {
          await release(redisChannel, subscribedState, subscription);
        } catch {
          // why: the handler is already detached locally, which is what the caller asked for; a
          // subscription Redis still holds only delivers messages that no handler receives.
        }
      };
    },

    async close() {
      channels.clear();
      await Promise.all([closeRedisClient(publisher), closeRedisClient(subscriber)]);
    },
  };
}
