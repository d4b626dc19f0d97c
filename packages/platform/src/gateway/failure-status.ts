import { isPlatformError } from '../errors/index.ts';

/** HTTP status 499: the client closed the connection before the response completed (nginx's code). */
export const clientClosedStatus = 499;

/** The status a failed request is metered with: the error's own, 499 when the client left, else 500. */
export function failureStatus(error: unknown, signal: AbortSignal): number {
  if (signal.aborted) return clientClosedStatus;
  return isPlatformError(error) ? error.status : 500;
}
