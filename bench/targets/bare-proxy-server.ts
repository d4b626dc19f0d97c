/**
 * The floor for any Node gateway: read the body, forward it with undici to the upstream, pipe the
 * answer back. No parsing, no auth, no metering. Runs as its own process on 127.0.0.1.
 *
 * Environment: BENCH_UPSTREAM_ORIGIN (http://127.0.0.1:port), BENCH_PROXY_PORT (0 picks one).
 * Prints one line `{"port": N}` on stdout once it listens.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { Agent, request as undiciRequest } from 'undici';

const upstreamOrigin = process.env.BENCH_UPSTREAM_ORIGIN;
if (!upstreamOrigin?.startsWith('http://127.0.0.1:'))
  throw new Error('BENCH_UPSTREAM_ORIGIN must be on 127.0.0.1');

const agent = new Agent({ keepAliveTimeout: 60_000, keepAliveMaxTimeout: 60_000 });
const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

function forwardedRequestHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const forwarded: Record<string, string> = {};
  const contentType = headers['content-type'];
  const authorization = headers.authorization;
  if (contentType) forwarded['content-type'] = contentType;
  if (authorization) forwarded.authorization = authorization;
  return forwarded;
}

const server = createServer((request, response) => {
  const parts: Buffer[] = [];
  request.on('data', (part: Buffer) => parts.push(part));
  request.on('end', () => {
    undiciRequest(`${upstreamOrigin}${request.url ?? '/'}`, {
      method: request.method === 'POST' ? 'POST' : 'GET',
      headers: forwardedRequestHeaders(request.headers),
      body: request.method === 'POST' ? Buffer.concat(parts) : null,
      dispatcher: agent,
    }).then(
      (upstream) => {
        const headers: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(upstream.headers)) {
          if (value !== undefined && !hopByHop.has(name)) headers[name] = value;
        }
        response.writeHead(upstream.statusCode, headers);
        // pipe, not stream.pipeline: pipeline aborts an AbortController (a DOMException) per call.
        upstream.body.on('error', () => response.destroy());
        upstream.body.pipe(response);
      },
      (error: Error) => {
        response.writeHead(502, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: error.message, type: 'proxy_error' } }));
      },
    );
  });
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 61_000;
server.listen(Number(process.env.BENCH_PROXY_PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
