import type { EventBus } from './event-bus.ts';
import type { HandlerErrorReporter } from './handler-errors.ts';
import { createMemoryEventBus } from './memory-event-bus.ts';
import { createRedisEventBus } from './redis-event-bus.ts';

export type { EventBus, Unsubscribe } from './event-bus.ts';
export { type HandlerErrorReporter, warnAboutHandlerError } from './handler-errors.ts';
export { createMemoryEventBus, type MemoryEventBusOptions } from './memory-event-bus.ts';
export { createRedisEventBus, type RedisEventBusOptions } from './redis-event-bus.ts';

export interface EventBusOptions {
  /** Redis to use; without it events stay in this process. */
  redisUrl?: string;
  /** Prepended to every Redis channel; default `kimi:`. */
  channelPrefix?: string;
  /** Receives what a handler threw; a process warning by default. */
  onHandlerError?: HandlerErrorReporter;
}

/** Picks Redis pub/sub when a URL is configured and the in-process bus otherwise. */
export function createEventBus(options: EventBusOptions = {}): EventBus {
  if (options.redisUrl) {
    return createRedisEventBus({
      url: options.redisUrl,
      channelPrefix: options.channelPrefix ?? 'kimi:',
      onHandlerError: options.onHandlerError,
    });
  }
  return createMemoryEventBus({ onHandlerError: options.onHandlerError });
}
