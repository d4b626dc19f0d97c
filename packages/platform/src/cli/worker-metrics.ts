import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Platform } from '../platform/index.ts';

export interface MetricsListener {
  /** The address the listener is bound to, as `host:port`. */
  address: string;
  close(): Promise<void>;
}

/**
 * A worker's /metrics: the process serves no API, so a bare HTTP listener answers Prometheus's
 * scrapes with the same registry `serve` exposes (swarm runs, ingestion, queues, process metrics).
 */
export async function listenForMetrics(
  platform: Platform,
  host: string,
  port: number,
): Promise<MetricsListener> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response
        .writeHead(404, { 'content-type': 'text/plain' })
        .end('Not found: this listener serves GET /metrics only.\n');
      return;
    }
    platform
      .collectMetrics()
      .then(() => platform.metrics.registry.metrics())
      .then(
        (text) =>
          response.writeHead(200, { 'content-type': platform.metrics.registry.contentType }).end(text),
        (error: unknown) => {
          platform.logger.warn({ err: error }, 'collecting worker metrics failed');
          response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
        },
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  const address =
    bound.family === 'IPv6' ? `[${bound.address}]:${bound.port}` : `${bound.address}:${bound.port}`;
  return {
    address,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
