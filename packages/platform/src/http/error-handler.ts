import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errors, isPlatformError, PlatformError } from '../errors/index.ts';
import { toAnthropicErrorBody } from './anthropic/anthropic-error.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The error body a route answers with: OpenAI's shape unless the route declares Anthropic's. */
    errorFormat?: 'openai' | 'anthropic';
  }
}

/** Maps anything thrown to a PlatformError; a user's mistake never becomes a 500. */
export function toPlatformError(error: unknown, bodyLimit: number): PlatformError {
  if (isPlatformError(error)) return error;
  const fastifyError = error as Partial<FastifyError>;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return errors.payloadTooLarge(bodyLimit);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new PlatformError({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: `Unsupported Content-Type.`,
        hint: 'Send the body as application/json.',
        status: 415,
        category: 'user',
        type: 'invalid_request_error',
      });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return errors.invalidJson('the body is empty');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return errors.invalidRequest(null, 'The Content-Length header does not match the body.');
  }
  if (error instanceof SyntaxError) return errors.invalidJson(error.message);
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new PlatformError({
      code: 'INVALID_REQUEST',
      message: fastifyError.message ?? 'The request is invalid.',
      status,
      category: 'user',
      type: 'invalid_request_error',
    });
  }
  return errors.internal(error);
}

/** Sends the route's error shape (OpenAI's by default); 5xx are logged with their cause, 4xx at debug level. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: PlatformError): FastifyReply {
  if (error.status >= 500) request.log.error({ err: error.cause ?? error, code: error.code }, error.message);
  else request.log.debug({ code: error.code }, error.message);
  reply.headers(error.headers);
  if (error.retryAfterMs !== undefined)
    reply.header('retry-after', String(Math.ceil(error.retryAfterMs / 1000)));
  if (request.routeOptions.config?.errorFormat === 'anthropic') {
    return reply.status(error.status).send(toAnthropicErrorBody(error, request.id));
  }
  return reply.status(error.status).send(error.toResponseBody(request.id));
}
