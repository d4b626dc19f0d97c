import { errorCodes } from 'fastify';
import { describe, expect, it } from 'vitest';
import { isPlatformError } from '../errors/index.ts';
import { toPlatformError } from './error-handler.ts';
import { clientErrorOf } from './framework-errors.ts';

const bodyLimit = 4096;

type FastifyErrorCode = keyof typeof errorCodes;

function fastifyError(code: FastifyErrorCode, ...values: string[]) {
  return new errorCodes[code](...values);
}

describe('toPlatformError maps every error Fastify emits while serving a request', () => {
  it.each<[FastifyErrorCode, string[], number, string]>([
    ['FST_ERR_BAD_URL', ['/v1/swarms/%ff'], 400, 'INVALID_URL'],
    ['FST_ERR_MAX_PARAM_LENGTH', ['/v1/swarms/aaa'], 414, 'URI_TOO_LONG'],
    ['FST_ERR_CTP_BODY_TOO_LARGE', [], 413, 'PAYLOAD_TOO_LARGE'],
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', ['text/csv'], 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['FST_ERR_CTP_EMPTY_JSON_BODY', [], 400, 'INVALID_JSON'],
    ['FST_ERR_CTP_INVALID_JSON_BODY', [], 400, 'INVALID_JSON'],
    ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', [], 400, 'INVALID_REQUEST'],
    ['FST_ERR_VALIDATION', ['body must be object'], 400, 'INVALID_REQUEST'],
    ['FST_ERR_NOT_FOUND', [], 404, 'NOT_FOUND'],
    ['FST_ERR_HANDLER_TIMEOUT', ['1000', '/v1/swarms'], 503, 'SERVICE_UNAVAILABLE'],
    ['FST_ERR_ASYNC_CONSTRAINT', [], 500, 'INTERNAL_ERROR'],
    ['FST_ERR_REP_INVALID_PAYLOAD_TYPE', ['number'], 500, 'INTERNAL_ERROR'],
  ])('%s → %i %s', (code, values, status, platformCode) => {
    const mapped = toPlatformError(fastifyError(code, ...values), bodyLimit);
    expect(mapped).toMatchObject({ status, code: platformCode });
    expect(mapped.hint).toBeTruthy();
  });

  it('names the path of a bad URL and the refused content type', () => {
    expect(toPlatformError(fastifyError('FST_ERR_BAD_URL', '/v1/swarms/%ff'), bodyLimit).message).toContain(
      '/v1/swarms/%ff',
    );
    const mediaType = toPlatformError(fastifyError('FST_ERR_CTP_INVALID_MEDIA_TYPE'), bodyLimit, {
      contentType: 'text/csv',
    });
    expect(mediaType.message).toContain('text/csv');
  });

  it('keeps the status of every 4xx Fastify error and never turns one into a 5xx; each has a hint', () => {
    for (const code of Object.keys(errorCodes) as FastifyErrorCode[]) {
      const error = fastifyError(code, 'a', 'b');
      const mapped = toPlatformError(error, bodyLimit);
      expect(isPlatformError(mapped), code).toBe(true);
      expect(mapped.hint, code).toBeTruthy();
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        expect(mapped.status, code).toBe(status);
        expect(mapped.category, code).toBe('user');
      } else {
        expect(mapped.status, code).toBeGreaterThanOrEqual(500);
      }
    }
  });
});

describe('clientErrorOf maps what the HTTP parser reports', () => {
  it.each([
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'REQUEST_TIMEOUT'],
    ['HPE_HEADER_OVERFLOW', 431, 'REQUEST_HEADERS_TOO_LARGE'],
    ['HPE_INVALID_METHOD', 400, 'MALFORMED_HTTP_REQUEST'],
    ['HPE_INVALID_CONSTANT', 400, 'MALFORMED_HTTP_REQUEST'],
  ])('%s → %i %s', (nodeCode, status, code) => {
    const error = Object.assign(new Error('parse error'), { code: nodeCode });
    expect(clientErrorOf(error)).toMatchObject({ status, code });
  });
});
