/**
 * @kimi/sdk — a dependency-free, fetch-based client for the Kimi Platform.
 * Runs on Node 20+ and in browsers; nothing under src/cli is imported from here.
 */
export type * from './api-types.ts';
export { Kimi, type KimiOptions } from './client.ts';
export * from './errors/index.ts';
export * from './resources/index.ts';
export {
  backoffDelayMs,
  defaultRetryPolicy,
  parseServerSentEvents,
  type RetryPolicy,
  type ServerSentEvent,
  Transport,
  type TransportOptions,
} from './transport/index.ts';
