export type Unsubscribe = () => Promise<void>;

/**
 * The events port (run progress, cache and key invalidation). In-process embedded, Redis
 * pub/sub scaled out. Delivery is at-most-once and asynchronous; order is kept per channel.
 */
export interface EventBus {
  readonly backend: 'memory' | 'redis';
  publish(channel: string, message: string): Promise<void>;
  /** Resolves once the subscription is active, so a publish after it is delivered. */
  subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe>;
  close(): Promise<void>;
}
