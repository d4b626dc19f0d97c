/**
 * The benchmark's OpenAI-compatible upstream, run as its own process on 127.0.0.1:
 * `POST /v1/chat/completions` answers every request with the same realistic reply, as JSON or as
 * an SSE stream, after an optional latency. A model whose name ends in `-slow` streams a shorter
 * answer one frame every `BENCH_UPSTREAM_SLOW_FRAME_MS`, for holding many streams open at once.
 *
 * Environment: BENCH_UPSTREAM_PORT (0 picks one), BENCH_UPSTREAM_LATENCY_MS (before the first
 * byte), BENCH_UPSTREAM_CHUNK_DELAY_MS (between frames of ordinary streams), BENCH_UPSTREAM_SLOW_FRAME_MS.
 * Prints one line `{"port": N}` on stdout once it listens.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { completionBody, streamFrames } from './canned-reply.ts';

const latencyMs = Number(process.env.BENCH_UPSTREAM_LATENCY_MS ?? 0);
const chunkDelayMs = Number(process.env.BENCH_UPSTREAM_CHUNK_DELAY_MS ?? 0);
const slowFrameMs = Number(process.env.BENCH_UPSTREAM_SLOW_FRAME_MS ?? 500);
const slowContentChunks = 20;

const jsonBodies = new Map<string, Buffer>();
const streamBodies = new Map<string, Buffer[]>();

function jsonFor(model: string): Buffer {
  let body = jsonBodies.get(model);
  if (!body) {
    body = completionBody(model);
    jsonBodies.set(model, body);
  }
  return body;
}

function framesFor(model: string, includeUsage: boolean): Buffer[] {
  const key = `${model}\u0000${includeUsage}`;
  let frames = streamBodies.get(key);
  if (!frames) {
    frames = streamFrames(model, includeUsage, model.endsWith('-slow') ? slowContentChunks : undefined);
    streamBodies.set(key, frames);
  }
  return frames;
}

interface ChatRequestFields {
  model?: unknown;
  stream?: unknown;
  stream_options?: { include_usage?: unknown };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    request.on('error', reject);
  });
}

function answerError(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify({ error: { message, type: 'invalid_request_error', code: null, param: null } }),
  );
}

async function writeStream(response: ServerResponse, frames: Buffer[], delayMs: number): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  if (delayMs <= 0) {
    // Each frame is its own write, as a provider flushes each token; cork so they leave together.
    response.cork();
    for (const frame of frames) response.write(frame);
    response.uncork();
    response.end();
    return;
  }
  for (const frame of frames) {
    if (response.destroyed) return;
    response.write(frame);
    await sleep(delayMs);
  }
  response.end();
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'POST' || request.url?.split('?')[0] !== '/v1/chat/completions') {
    answerError(response, 404, `no route ${request.method} ${request.url}`);
    return;
  }
  let fields: ChatRequestFields;
  try {
    fields = JSON.parse(await readBody(request)) as ChatRequestFields;
  } catch {
    answerError(response, 400, 'the body is not JSON');
    return;
  }
  const model = typeof fields.model === 'string' ? fields.model : 'bench-model';
  if (latencyMs > 0) await sleep(latencyMs);
  if (fields.stream === true) {
    const frames = framesFor(model, fields.stream_options?.include_usage === true);
    await writeStream(response, frames, model.endsWith('-slow') ? slowFrameMs : chunkDelayMs);
    return;
  }
  const body = jsonFor(model);
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  response.end(body);
}

const server = createServer((request, response) => {
  handle(request, response).catch((error: unknown) => {
    if (!response.headersSent) answerError(response, 500, (error as Error).message);
    else response.destroy();
  });
});
// Long keep-alive: the clients hold pooled connections across a whole benchmark step.
server.keepAliveTimeout = 60_000;
server.headersTimeout = 61_000;
server.listen(Number(process.env.BENCH_UPSTREAM_PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
