export { postUpstream, readErrorBody, type UpstreamRequest } from './call-upstream.ts';
export { mapStatusError } from './map-status-error.ts';
export { readRetryAfterMs } from './retry-after.ts';
export { readServerSentEvents, type ServerSentEvent } from './server-sent-events.ts';
export {
  createUpstreamFetch,
  discardBody,
  type HeaderReader,
  type UpstreamFetch,
  type UpstreamRequestInit,
  type UpstreamResponse,
} from './upstream-fetch.ts';
