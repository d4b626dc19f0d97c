import { CircuitOpenError, ConnectionError, TimeoutError } from './error-classes.ts';
import {
  errorClassFor,
  errorClassForStatus,
  type KimiErrorClass,
  retryableOverrideFor,
} from './error-table.ts';
import type { KimiError } from './kimi-error.ts';

/** The documented error body: `{ error: { message, type, code, param, hint, request_id } }`. */
interface ErrorBody {
  error?: {
    message?: unknown;
    type?: unknown;
    code?: unknown;
    param?: unknown;
    hint?: unknown;
    request_id?: unknown;
  };
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The error a failed response stands for, from its JSON body (or its status when it has none). */
export function errorFromResponse(status: number, headers: Headers, bodyText: string): KimiError {
  let body: ErrorBody = {};
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (parsed !== null && typeof parsed === 'object') body = parsed as ErrorBody;
  } catch {
    // not JSON (a proxy's HTML page): the status decides
  }
  return errorFromBody(body, status, headers, bodyText);
}

/**
 * The error of a `{ error: { … } }` body. `status` is undefined for an error event inside a
 * stream (the HTTP status was already 200): the code alone then decides the class.
 */
export function errorFromBody(
  body: unknown,
  status: number | undefined,
  headers: Headers = new Headers(),
  bodyText = '',
): KimiError {
  const detail = (body as ErrorBody | null)?.error ?? {};
  const code = text(detail.code) ?? (status === undefined ? 'STREAM_ERROR' : `HTTP_${status}`);
  const message =
    text(detail.message) ??
    (bodyText.trim().slice(0, 500) || (status === undefined ? 'Stream error' : `HTTP ${status}`));
  let errorClass: KimiErrorClass = errorClassFor(code) ?? errorClassForStatus(status ?? 500);
  if (code === 'PROVIDER_UNAVAILABLE' && /circuit open/i.test(message)) errorClass = CircuitOpenError;
  const requestId = text(detail.request_id) ?? headers.get('x-request-id') ?? undefined;
  const hint = text(detail.hint);
  const type = text(detail.type);
  const retryAfterMs = parseRetryAfter(headers.get('retry-after'));
  const retryable = retryableOverrideFor(code);
  return new errorClass({
    message,
    code,
    ...(status === undefined ? {} : { status }),
    param: text(detail.param) ?? null,
    ...(retryable === undefined ? {} : { retryable }),
    ...(hint === undefined ? {} : { recoveryHint: hint }),
    ...(requestId === undefined ? {} : { requestId }),
    ...(type === undefined ? {} : { type }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

/** The error a fetch that threw stands for: a timeout when our deadline fired, else a connection failure. */
export function errorFromFetchFailure(
  cause: unknown,
  context: { timedOut: boolean; timeoutMs: number; requestId?: string },
): KimiError {
  const requestId = context.requestId === undefined ? {} : { requestId: context.requestId };
  if (context.timedOut) {
    return new TimeoutError({
      message: `No response within ${context.timeoutMs} ms.`,
      code: 'TIMEOUT',
      recoveryHint: 'Retry, or raise timeoutMs.',
      cause,
      ...requestId,
    });
  }
  const reason =
    cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : '';
  return new ConnectionError({
    message: `The request could not reach the platform${reason ? `: ${reason}` : ''}.`,
    code: 'CONNECTION_ERROR',
    recoveryHint: 'Check baseUrl and the network, then retry.',
    cause,
    ...requestId,
  });
}
