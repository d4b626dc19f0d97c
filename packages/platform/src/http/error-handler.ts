import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errors, isPlatformError, PlatformError } from '../errors/index.ts';
import { toAnthropicErrorBody } from '../platform/wire/index.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The error body a route answers with: OpenAI's shape unless the route declares Anthropic's. */
    errorFormat?: 'openai' | 'anthropic';
  }
}

/** The longest path parameter the router accepts (Fastify's default); longer ones are a 414. */
export const maximumPathParameterLength = 100;

/** What the request itself says, where it makes a message more precise. */
export interface RequestFacts {
  url?: string;
  contentType?: string | undefined;
}

/** The path Fastify quotes in FST_ERR_BAD_URL ("'/v1/x/%ff' is not a valid url component"). */
function quotedPath(message: string | undefined): string | undefined {
  return message ? /^'(.*)' is not a valid url component$/s.exec(message)?.[1] : undefined;
}

/** A Fastify error by its code; undefined for a code without its own mapping. */
function fromFastifyCode(
  error: Partial<FastifyError>,
  bodyLimit: number,
  facts: RequestFacts,
): PlatformError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return errors.payloadTooLarge(bodyLimit);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return errors.unsupportedMediaType(facts.contentType);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return errors.invalidJson('the body is empty');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return errors.invalidJson(error.message ?? 'it does not parse');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return errors.invalidRequest(
        null,
        'The Content-Length header does not match the body.',
        'Send a Content-Length equal to the body size in bytes, or let the client compute it.',
      );
    case 'FST_ERR_BAD_URL':
      return errors.invalidUrl(facts.url ?? quotedPath(error.message) ?? '');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return errors.pathSegmentTooLong(maximumPathParameterLength);
    case 'FST_ERR_HANDLER_TIMEOUT':
      return errors.unavailable(
        'The request did not finish in time on the server.',
        'Retry; if it persists, report the request id to the operator.',
      );
  }
  return undefined;
}

/** Any other error a framework attaches a 4xx status to, by its status. */
function fromClientStatus(status: number, message: string | undefined, bodyLimit: number): PlatformError {
  switch (status) {
    case 404:
      return errors.notFound('The requested resource');
    case 408:
      return errors.requestTimeout();
    case 413:
      return errors.payloadTooLarge(bodyLimit);
    case 415:
      return errors.unsupportedMediaType(undefined);
    case 431:
      return errors.headersTooLarge();
  }
  return new PlatformError({
    code: 'INVALID_REQUEST',
    message: message ?? 'The request is invalid.',
    hint: 'Fix the request and retry; see the README for the API.',
    status,
    category: 'user',
    type: 'invalid_request_error',
  });
}

/** Maps anything thrown to a PlatformError; a user's mistake never becomes a 500. */
export function toPlatformError(error: unknown, bodyLimit: number, facts: RequestFacts = {}): PlatformError {
  if (isPlatformError(error)) return error;
  const fastifyError = error as Partial<FastifyError>;
  const mapped = fromFastifyCode(fastifyError, bodyLimit, facts);
  if (mapped) return mapped;
  if (error instanceof SyntaxError) return errors.invalidJson(error.message);
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return fromClientStatus(status, fastifyError.message, bodyLimit);
  }
  return errors.internal(error);
}

/**
 * Whether the request's errors take Anthropic's shape: its route says so, or no route matched
 * (a malformed or unknown path) and the path is under `/v1/messages/`, Anthropic's surface.
 */
export function speaksAnthropicErrors(request: FastifyRequest): boolean {
  const format = request.routeOptions.config?.errorFormat;
  if (format !== undefined) return format === 'anthropic';
  return request.url.startsWith('/v1/messages/');
}

/** Sends the route's error shape (OpenAI's by default); 5xx are logged with their cause, 4xx at debug level. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: PlatformError): FastifyReply {
  if (error.status >= 500) request.log.error({ err: error.cause ?? error, code: error.code }, error.message);
  else request.log.debug({ code: error.code }, error.message);
  reply.headers(error.headers);
  if (error.retryAfterMs !== undefined)
    reply.header('retry-after', String(Math.ceil(error.retryAfterMs / 1000)));
  if (speaksAnthropicErrors(request)) {
    return reply.status(error.status).send(toAnthropicErrorBody(error, request.id));
  }
  return reply.status(error.status).send(error.toResponseBody(request.id));
}
