import { isIPv6 } from 'node:net';

const allInterfaces = new Set(['0.0.0.0', '::', '0:0:0:0:0:0:0:0']);

function hostPort(address: string, port: number): string {
  return isIPv6(address) ? `[${address}]:${port}` : `${address}:${port}`;
}

/**
 * Where the server really listens, for the start-up banner: `http://127.0.0.1:8080`, or
 * `all interfaces (0.0.0.0:8080)` when it is reachable from the network. `host` is what was asked
 * for (HOST), `address` the address the socket is bound to (null where unknown, as in a cluster).
 */
export function describeListenAddress(host: string, address: string | null, port: number): string {
  const bound = address ?? host;
  if (allInterfaces.has(bound)) return `all interfaces (${hostPort(bound, port)})`;
  if (host === 'localhost') return `http://localhost:${port}`;
  return `http://${hostPort(bound, port)}`;
}
