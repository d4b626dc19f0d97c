import { isPlatformError } from '../errors/index.ts';
import { clientClosedStatus } from './usage-meter.ts';

/** The status a failed request is metered with: the error's own, 499 when the client left, else 500. */
export function failureStatus(error: unknown, signal: AbortSignal): number {
  if (signal.aborted) return clientClosedStatus;
  return isPlatformError(error) ? error.status : 500;
}
