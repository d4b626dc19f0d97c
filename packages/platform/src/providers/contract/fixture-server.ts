import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FixtureResponse =
  | { kind: 'json'; status: number; headers?: Record<string, string>; body: unknown }
  /** A raw SSE body, written in small pieces so parsers meet events split anywhere. */
  | { kind: 'stream'; status?: number; headers?: Record<string, string>; text: string; pieceBytes?: number }
  /** Accepts the request and never answers (for timeouts and aborts). */
  | { kind: 'hang' };

export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/v1/chat/completions?api-version=…`. */
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/**
 * A local server that speaks whatever wire format its queued fixtures hold: each request gets the
 * next queued response, and every request is recorded for assertions. Loopback only.
 */
export interface FixtureServer {
  baseUrl: string;
  enqueue(response: FixtureResponse): void;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const queue: FixtureResponse[] = [];
  const requests: RecordedRequest[] = [];
  const hanging = new Set<import('node:http').ServerResponse>();
  const server: Server = createServer(async (request, response) => {
    requests.push({
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      headers: request.headers,
      body: await readBody(request),
    });
    const next = queue.shift();
    if (!next) {
      response.writeHead(599, { 'content-type': 'text/plain' });
      response.end('fixture server: no response queued for this request');
      return;
    }
    if (next.kind === 'hang') {
      hanging.add(response);
      response.once('close', () => hanging.delete(response));
      return;
    }
    if (next.kind === 'json') {
      response.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
      response.end(JSON.stringify(next.body));
      return;
    }
    response.writeHead(next.status ?? 200, { 'content-type': 'text/event-stream', ...next.headers });
    const bytes = Buffer.from(next.text, 'utf8');
    const size = next.pieceBytes ?? 7;
    for (let offset = 0; offset < bytes.length; offset += size) {
      if (!response.write(bytes.subarray(offset, offset + size))) {
        await new Promise((resolve) => response.once('drain', resolve));
      }
      if (offset % (size * 16) === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    enqueue: (response) => queue.push(response),
    requests,
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
