import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * Every response the platform sends — framework-level failures included — has the documented
 * error shape and a request id. Spoken over real HTTP on loopback, byte by byte where the failure
 * is in the HTTP layer itself.
 */
let testApp: TestApp;
let secret: string;

interface RawResponse {
  /** Everything the server sent. */
  raw: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Writes `chunks` to the server (pausing `pauseMs` between them) and reads until it closes. */
function exchange(chunks: string[], options: { pauseMs?: number; timeoutMs?: number } = {}) {
  const { port, hostname } = new URL(testApp.baseUrl);
  return new Promise<RawResponse>((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer in time; got: ${received.slice(0, 300)}`));
    }, options.timeoutMs ?? 8000);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      const [head = '', ...rest] = received.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({
        raw: received,
        status: Number(statusLine.split(' ')[1]),
        headers,
        body: rest.join('\r\n\r\n'),
      });
    });
    socket.on('connect', async () => {
      for (const [index, chunk] of chunks.entries()) {
        if (index > 0) await new Promise((wait) => setTimeout(wait, options.pauseMs ?? 0));
        if (!socket.destroyed) socket.write(chunk);
      }
    });
  });
}

/** One request with `Connection: close`, so the answer ends with the connection. */
function send(method: string, path: string, headers: Record<string, string> = {}, body = '') {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body !== '' || ['POST', 'PUT', 'PATCH'].includes(method))
    lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return exchange([`${lines.join('\r\n')}\r\n\r\n${body}`]);
}

function authorized(extra: Record<string, string> = {}) {
  return { authorization: `Bearer ${secret}`, ...extra };
}

/** Status, the documented shape, a recovery hint and the request id (header and body agree). */
function expectDocumentedError(response: RawResponse, status: number, code: string) {
  expect(response.status, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const body = JSON.parse(response.body) as { error: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(['error']);
  for (const key of ['message', 'type', 'code', 'param']) expect(body.error).toHaveProperty(key);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(typeof body.error.type).toBe('string');
  expect(body.error.hint, 'a recovery hint').toEqual(expect.any(String));
  expect(response.headers['x-request-id']).toMatch(/^req_/);
  expect(body.error.request_id).toBe(response.headers['x-request-id']);
  return body.error;
}

beforeAll(async () => {
  testApp = await startTestApp({
    listen: true,
    config: {
      server: { body_limit_bytes: 4096, request_timeout_ms: 1000 },
      // A model slower than the request timeout (config, not a fault directive: those are off by default).
      providers: { sim: { models: { unhurried: { latency_ms: 2200 } } } },
    },
  });
  secret = (await createTenant(testApp, { role: 'admin' })).secret;
});

afterAll(async () => {
  await testApp?.close();
});

describe('framework-level failures use the documented error shape', () => {
  it('a bad percent-encoding in the path → 400 INVALID_URL', async () => {
    for (const path of ['/v1/swarms/%ff', '/v1/models/%E0%A4%A', '/v1/tools/%ff/x']) {
      const error = expectDocumentedError(await send('GET', path, authorized()), 400, 'INVALID_URL');
      expect(error.type).toBe('invalid_request_error');
    }
  });

  it('a path parameter over the router limit → 414 URI_TOO_LONG', async () => {
    const response = await send('GET', `/v1/swarms/${'a'.repeat(500)}`, authorized());
    expectDocumentedError(response, 414, 'URI_TOO_LONG');
  });

  it('a wrong method on an existing path → 405 with Allow, parametric paths included', async () => {
    const cases: Array<[string, string, string]> = [
      ['DELETE', '/v1/models', 'GET, HEAD'],
      ['GET', '/v1/chat/completions', 'POST'],
      ['PUT', '/v1/swarms/run_abc', 'GET, HEAD'],
      ['GET', '/v1/swarms/run_abc/cancel', 'POST'],
      ['POST', '/v1/admin/organizations/org_x/budgets/budget_y', 'DELETE, GET, HEAD, PATCH'],
      ['PATCH', '/v1/models/sim/fast', 'GET, HEAD'],
      ['OPTIONS', '/v1/tools', 'GET, HEAD, POST'],
      ['DELETE', '/healthz', 'GET, HEAD'],
    ];
    for (const [method, path, allow] of cases) {
      const response = await send(method, path, authorized());
      const error = expectDocumentedError(response, 405, 'METHOD_NOT_ALLOWED');
      expect(response.headers.allow, `${method} ${path}`).toBe(allow);
      expect(error.message).toContain(method);
    }
  });

  it('a path no method serves is still 404 ROUTE_NOT_FOUND, without Allow', async () => {
    const response = await send('GET', '/v1/nothing-here', authorized());
    expectDocumentedError(response, 404, 'ROUTE_NOT_FOUND');
    expect(response.headers.allow).toBeUndefined();
  });

  it('an unsupported media type → 415 naming it', async () => {
    const response = await send('POST', '/v1/swarms', authorized({ 'Content-Type': 'text/plain' }), 'hi');
    const error = expectDocumentedError(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(error.message).toContain('text/plain');
  });

  it('a body over the limit → 413', async () => {
    const body = JSON.stringify({ task: 'x'.repeat(8000) });
    const response = await send(
      'POST',
      '/v1/swarms',
      authorized({ 'Content-Type': 'application/json' }),
      body,
    );
    expectDocumentedError(response, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('malformed JSON → 400 INVALID_JSON', async () => {
    const response = await send(
      'POST',
      '/v1/swarms',
      authorized({ 'Content-Type': 'application/json' }),
      '{"task": ',
    );
    expectDocumentedError(response, 400, 'INVALID_JSON');
  });

  it('a request that is not HTTP → 400 MALFORMED_HTTP_REQUEST', async () => {
    const response = await exchange(['THIS IS NOT HTTP\r\n\r\n']);
    expectDocumentedError(response, 400, 'MALFORMED_HTTP_REQUEST');
  });

  it('bytes beyond the Content-Length that are not HTTP → 400 MALFORMED_HTTP_REQUEST', async () => {
    const response = await exchange([
      'POST /v1/swarms HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
        `Authorization: Bearer ${secret}\r\nContent-Length: 2\r\n\r\n{}garbage\r\n\r\n`,
    ]);
    expectDocumentedError(response, 400, 'MALFORMED_HTTP_REQUEST');
  });

  it('headers over the size limit → 431', async () => {
    const response = await send('GET', '/v1/models', authorized({ 'x-padding': 'a'.repeat(20_000) }));
    expectDocumentedError(response, 431, 'REQUEST_HEADERS_TOO_LARGE');
  });

  it('a request not received within server.request_timeout_ms → 408', async () => {
    const started = Date.now();
    const response = await exchange(
      [
        'POST /v1/swarms HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
          `Authorization: Bearer ${secret}\r\nContent-Length: 100\r\n\r\n{"task":`,
      ],
      { timeoutMs: 6000 },
    );
    const error = expectDocumentedError(response, 408, 'REQUEST_TIMEOUT');
    expect(error.type).toBe('timeout_error');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('the request timeout bounds receiving a request, not a slow answer', async () => {
    const started = Date.now();
    const response = await fetch(`${testApp.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: authorized({ 'content-type': 'application/json' }),
      body: JSON.stringify({
        model: 'sim/unhurried',
        messages: [{ role: 'user', content: 'slow' }],
      }),
    });
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
  });

  it('the WebSocket route over plain HTTP → 426 UPGRADE_REQUIRED', async () => {
    const response = await send('GET', '/v1/swarms/ws', authorized());
    expectDocumentedError(response, 426, 'UPGRADE_REQUIRED');
  });

  it('an error status a handler sends without a body still leaves in the documented shape', async () => {
    const extra = await startTestApp();
    try {
      extra.app.get('/test-only/bare-conflict', async (_request, reply) => reply.code(409).send());
      const response = await extra.app.inject({ method: 'GET', url: '/test-only/bare-conflict' });
      expect(response.statusCode).toBe(409);
      const body = response.json<{ error: Record<string, unknown> }>();
      for (const key of ['message', 'type', 'code', 'param']) expect(body.error).toHaveProperty(key);
      expect(response.headers['x-request-id']).toMatch(/^req_/);
    } finally {
      await extra.close();
    }
  });

  it('a request arriving while the server shuts down → 503 SERVICE_UNAVAILABLE with Retry-After', async () => {
    // A model that takes 1.5 s to answer (config, not a fault directive: those are off by default).
    const closing = await startTestApp({
      listen: true,
      config: { providers: { sim: { models: { unhurried: { latency_ms: 1500 } } } } },
    });
    const { port } = new URL(closing.baseUrl);
    const tenant = await createTenant(closing);
    const chat = (content: string, model = 'sim/fast') => {
      const body = JSON.stringify({ model, messages: [{ role: 'user', content }] });
      return (
        `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `Authorization: Bearer ${tenant.secret}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
      );
    };
    try {
      const socket = connect(Number(port), '127.0.0.1');
      let received = '';
      socket.on('data', (chunk) => {
        received += chunk.toString();
      });
      socket.on('error', () => {});
      await new Promise((resolve) => socket.once('connect', resolve));
      // A slow request keeps the connection busy, so closing does not reap it as idle.
      socket.write(chat('slow', 'sim/unhurried'));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const closed = closing.app.close();
      await new Promise((resolve) => setTimeout(resolve, 200));
      socket.write(chat('arrives while closing'));
      await closed;
      await new Promise((resolve) => setTimeout(resolve, 100));
      socket.destroy();
      const answers = received.split(/(?=HTTP\/1\.1 )/);
      expect(answers).toHaveLength(2);
      expect(answers[0]).toMatch(/^HTTP\/1\.1 200/);
      expect(answers[1]).toMatch(/^HTTP\/1\.1 503/);
      expect(answers[1]).toMatch(/x-request-id: req_/);
      expect(answers[1]).toMatch(/retry-after: 1/i);
      expect(answers[1]).toContain('"code":"SERVICE_UNAVAILABLE"');
      expect(answers[1]).toContain('"param":null');
    } finally {
      await closing.close();
    }
  });
});
