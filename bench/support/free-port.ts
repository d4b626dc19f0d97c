import { createServer } from 'node:net';

/**
 * A free TCP port on 127.0.0.1, for servers that cannot be told to pick their own (Portkey's
 * gateway prints the port it was given, not the one it got). Another process could take it in
 * between; on loopback, during a benchmark, that does not happen in practice.
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
