export { postUpstream, readErrorBody, type UpstreamRequest } from './call-upstream.ts';
export { mapStatusError } from './map-status-error.ts';
export { readRetryAfterMs } from './retry-after.ts';
export { readServerSentEvents, type ServerSentEvent } from './server-sent-events.ts';
export { createUpstreamFetch } from './upstream-fetch.ts';
