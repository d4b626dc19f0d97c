import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyBaseLogger, FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errors, type PlatformError } from '../errors/index.ts';
import { sendError, toPlatformError } from './error-handler.ts';

/**
 * Fastify's `frameworkErrors`: a URL the router cannot decode (`%ff`), a path parameter over the
 * length limit. They arrive before any hook, so the request id header is set here.
 */
export function frameworkErrorHandler(bodyLimit: number) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    reply.header('x-request-id', request.id);
    sendError(request, reply, toPlatformError(error, bodyLimit, { url: request.url }));
  };
}

/** What the HTTP parser reports (Node's `clientError`), as the coded error we answer with. */
export function clientErrorOf(error: NodeJS.ErrnoException): PlatformError {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return errors.requestTimeout();
    case 'HPE_HEADER_OVERFLOW':
      return errors.headersTooLarge();
    default:
      return errors.malformedHttpRequest();
  }
}

/**
 * Fastify's `clientErrorHandler`: a request that never reached the router (malformed HTTP, headers
 * too large, a request not received in time) still gets the documented error body and a request id.
 */
export function clientErrorHandler(newRequestId: () => string, logger: FastifyBaseLogger) {
  return (error: NodeJS.ErrnoException, socket: Duplex): void => {
    // A reset connection has nobody left to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const platformError = clientErrorOf(error);
    const requestId = newRequestId();
    logger.debug({ err: error, code: platformError.code, requestId }, 'client error');
    if (socket.writable) {
      const body = JSON.stringify(platformError.toResponseBody(requestId));
      socket.write(
        `HTTP/1.1 ${platformError.status} ${STATUS_CODES[platformError.status] ?? 'Error'}\r\n` +
          'Content-Type: application/json; charset=utf-8\r\n' +
          `Content-Length: ${Buffer.byteLength(body)}\r\n` +
          `x-request-id: ${requestId}\r\n` +
          'Connection: close\r\n\r\n' +
          body,
      );
    }
    socket.destroy(error);
  };
}
