import type { EventBus, Unsubscribe } from './event-bus.ts';
import { type HandlerErrorReporter, warnAboutHandlerError } from './handler-errors.ts';

export interface MemoryEventBusOptions {
  /** Receives what a handler threw; a process warning by default. */
  onHandlerError?: HandlerErrorReporter;
}

interface Subscription {
  handler: (message: string) => void;
  active: boolean;
}

/**
 * The embedded event bus: delivery within this process, always after `publish` returns (in a
 * microtask), in publish order per channel, to the handlers subscribed when the message was
 * published and still subscribed when it is delivered.
 */
export function createMemoryEventBus(options: MemoryEventBusOptions = {}): EventBus {
  const reportError = options.onHandlerError ?? warnAboutHandlerError;
  const channels = new Map<string, Set<Subscription>>();
  let closed = false;

  const assertOpen = () => {
    if (closed) throw new Error('event bus is closed');
  };

  return {
    backend: 'memory',

    async publish(channel, message) {
      assertOpen();
      const subscriptions = channels.get(channel);
      if (subscriptions === undefined) return;
      const recipients = [...subscriptions];
      // why: a microtask per publish keeps the order of publishes and never runs a handler
      // inside the publisher's own call stack.
      queueMicrotask(() => {
        for (const subscription of recipients) {
          if (!subscription.active) continue;
          try {
            subscription.handler(message);
          } catch (error) {
            reportError(error, channel);
          }
        }
      });
    },

    async subscribe(channel, handler): Promise<Unsubscribe> {
      assertOpen();
      const subscription: Subscription = { handler, active: true };
      let subscriptions = channels.get(channel);
      if (subscriptions === undefined) {
        subscriptions = new Set();
        channels.set(channel, subscriptions);
      }
      subscriptions.add(subscription);
      return async () => {
        subscription.active = false;
        const current = channels.get(channel);
        if (current === undefined) return;
        current.delete(subscription);
        if (current.size === 0) channels.delete(channel);
      };
    },

    async close() {
      closed = true;
      for (const subscriptions of channels.values()) {
        for (const subscription of subscriptions) subscription.active = false;
      }
      channels.clear();
    },
  };
}
