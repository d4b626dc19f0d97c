import { createServer, type Server, Socket } from 'node:net';
import { Redis } from 'ioredis';

/*
 * Test support for the Redis-backed suites of kv, pubsub and queue. It sits here because those
 * suites live next to their code; it is not part of the kv module's public surface.
 */

/**
 * Deletes every key that starts with `prefix` (SCAN, never KEYS, so a busy Redis is not
 * blocked) and returns how many there were. Suites call it to leave a shared Redis as they found it.
 */
export async function deleteRedisKeysWithPrefix(url: string, prefix: string): Promise<number> {
  if (prefix.length === 0) throw new Error('refusing to delete every key: the prefix is empty');
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await client.unlink(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    client.disconnect();
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/** A local TCP port nothing listens on (at the moment of asking). */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port was assigned');
  return address.port;
}

export interface OutageProxy {
  /** Redis URL that goes through the proxy. */
  url: string;
  /** Stops listening and cuts every open connection: Redis looks down. */
  stop(): Promise<void>;
  /** Listens again on the same port: Redis looks back. */
  start(): Promise<void>;
}

/** A TCP proxy in front of Redis that can be stopped and restarted, to simulate an outage. */
export async function startRedisOutageProxy(redisUrl: string): Promise<OutageProxy> {
  const target = new URL(redisUrl);
  const port = await unusedPort();
  const sockets = new Set<Socket>();
  let server: Server | undefined;

  const track = (socket: Socket, peer: () => Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {
      socket.destroy();
      peer().destroy();
    });
  };

  const start = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = new Socket();
        track(client, () => upstream);
        track(upstream, () => client);
        upstream.connect(Number(target.port || 6379), target.hostname);
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', resolve);
    });

  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      if (server === undefined || !server.listening) {
        resolve();
        return;
      }
      server.close(() => resolve());
    });

  await start();
  const url = new URL(redisUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return { url: url.toString(), start, stop };
}

/** Retries `attempt` every 50 ms until it resolves; returns the milliseconds it took. */
export async function retryUntilResolved(
  attempt: () => Promise<unknown>,
  timeoutMs: number,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    try {
      await attempt();
      return performance.now() - started;
    } catch (error) {
      if (performance.now() - started > timeoutMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
