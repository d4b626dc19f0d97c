import { errors } from '../../errors/index.ts';

/** Matches `[[sim:name]]` and `[[sim:name=value]]`. */
export const faultDirectivePattern = /\[\[sim:([a-z_]+)(?:=([^\]]*))?\]\]/g;

/** Faults a test asked for explicitly in the last user message, so it need not rely on chance. */
export interface FaultDirectives {
  /** `[[sim:error=503]]`: fail with this HTTP status. */
  errorStatus?: number;
  /** `[[sim:retry_after_ms=250]]`: the Retry-After of a simulated 429. */
  retryAfterMs?: number;
  /** `[[sim:timeout]]`: hang until the call is aborted. */
  timeout: boolean;
  /** `[[sim:stream_fail_after=N]]`: break the stream after N deltas. */
  streamFailAfter?: number;
  /** `[[sim:latency_ms=N]]`: replaces the model's configured latency. */
  latencyMs?: number;
}

/** What a call without directives (or with directives switched off) asks for: nothing. */
export const noFaultDirectives: Readonly<FaultDirectives> = Object.freeze({ timeout: false });

/** True when the directives ask for anything at all, so the call's outcome is the caller's doing. */
export function anyFaultDirective(directives: Readonly<FaultDirectives>): boolean {
  return (
    directives.timeout ||
    directives.errorStatus !== undefined ||
    directives.retryAfterMs !== undefined ||
    directives.streamFailAfter !== undefined ||
    directives.latencyMs !== undefined
  );
}

/**
 * Reads the directives of a text (the last user message). An unknown or malformed directive is
 * the test author's mistake, so it is reported rather than ignored.
 */
export function parseFaultDirectives(text: string): FaultDirectives {
  const directives: FaultDirectives = { timeout: false };
  for (const match of text.matchAll(faultDirectivePattern)) {
    const name = match[1] ?? '';
    const value = match[2];
    switch (name) {
      case 'error':
        directives.errorStatus = wholeNumber(name, value, 100, 599);
        break;
      case 'retry_after_ms':
        directives.retryAfterMs = wholeNumber(name, value, 0, 3_600_000);
        break;
      case 'timeout':
        directives.timeout = true;
        break;
      case 'stream_fail_after':
        directives.streamFailAfter = wholeNumber(name, value, 0, 1_000_000);
        break;
      case 'latency_ms':
        directives.latencyMs = wholeNumber(name, value, 0, 3_600_000);
        break;
      default:
        throw errors.invalidRequest(
          'messages',
          `Unknown simulated-provider directive '[[sim:${name}]]'.`,
          'Use one of [[sim:error=503]], [[sim:error=429]], [[sim:retry_after_ms=N]], [[sim:timeout]], [[sim:stream_fail_after=N]], [[sim:latency_ms=N]].',
        );
    }
  }
  return directives;
}

function wholeNumber(name: string, value: string | undefined, minimum: number, maximum: number): number {
  const number = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || number < minimum || number > maximum) {
    throw errors.invalidRequest(
      'messages',
      `The directive '[[sim:${name}=${value ?? ''}]]' needs a whole number from ${minimum} to ${maximum}.`,
    );
  }
  return number;
}
