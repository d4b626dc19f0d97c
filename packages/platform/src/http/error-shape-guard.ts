import { STATUS_CODES } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { errors, PlatformError } from '../errors/index.ts';
import { speaksAnthropicErrors, toPlatformError } from './error-handler.ts';

/** Whether a serialised body already is the documented `{ "error": { … } }` shape. */
function isErrorBody(payload: unknown): boolean {
  if (typeof payload !== 'string') return false;
  try {
    const error = (JSON.parse(payload) as { error?: unknown } | null)?.error;
    return typeof error === 'object' && error !== null && 'code' in error && 'message' in error;
  } catch {
    return false;
  }
}

function errorForStatus(status: number, bodyLimit: number): PlatformError {
  if (status === 503) {
    return errors.unavailable('The service is unavailable.', 'Retry after a short wait.');
  }
  if (status >= 500) {
    return new PlatformError({
      code: 'INTERNAL_ERROR',
      message: `The platform answered ${status} ${STATUS_CODES[status] ?? ''}.`.replace(' .', '.'),
      hint: 'Retry; if it persists, report the request id to the operator.',
      status,
      category: 'system',
      type: 'server_error',
      retryable: true,
    });
  }
  return toPlatformError({ statusCode: status, message: STATUS_CODES[status] }, bodyLimit);
}

/**
 * A last line of defence: an error status sent by something other than our error handler (a
 * plugin's empty 404, a bare `reply.code(4xx).send()`) still leaves in the documented shape.
 * Anthropic-format routes, streams and buffers are left alone.
 */
export function guardErrorShape(app: FastifyInstance, bodyLimit: number): void {
  // why a callback hook: a successful answer passes with no promise and no extra microtask.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (reply.statusCode < 400 || speaksAnthropicErrors(request)) {
      done(null, payload);
      return;
    }
    if (
      (payload !== undefined && payload !== null && payload !== '' && typeof payload !== 'string') ||
      isErrorBody(payload)
    ) {
      done(null, payload);
      return;
    }
    reply.header('content-type', 'application/json; charset=utf-8');
    done(null, JSON.stringify(errorForStatus(reply.statusCode, bodyLimit).toResponseBody(request.id)));
  });
}
