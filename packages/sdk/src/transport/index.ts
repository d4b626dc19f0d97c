export { backoffDelayMs, defaultRetryPolicy, type RetryPolicy, shouldRetry } from './retry-policy.ts';
export { parseServerSentEvents, type ServerSentEvent } from './server-sent-events.ts';
export {
  buildUrl,
  type Query,
  type QueryValue,
  type RequestOptions,
  segment,
  Transport,
  type TransportOptions,
} from './transport.ts';
