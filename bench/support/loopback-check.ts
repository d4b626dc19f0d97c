import { readFileSync } from 'node:fs';

/**
 * The local addresses listening on `port`, from /proc/net/tcp and tcp6 (hex, as the kernel
 * writes them): `7F000001` style for IPv4. Empty where /proc is not readable.
 */
function listeningAddresses(port: number): string[] {
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  const addresses: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let table: string;
    try {
      table = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of table.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      // State 0A is LISTEN.
      if (!local || fields[3] !== '0A') continue;
      const [address, localPort] = local.split(':');
      if (localPort === portHex && address) addresses.push(address);
    }
  }
  return addresses;
}

/** Throws if a socket listening on `port` is bound beyond 127.0.0.1 (no check where /proc/net is unreadable). */
export function assertListensOnLoopbackOnly(name: string, port: number): void {
  const addresses = listeningAddresses(port);
  if (addresses.length === 0) return;
  // 0100007F is 127.0.0.1 in the kernel's little-endian hex.
  const offLoopback = addresses.filter((address) => address !== '0100007F');
  if (offLoopback.length > 0) {
    throw new Error(`${name} listens on port ${port} beyond 127.0.0.1 (${offLoopback.join(', ')})`);
  }
}

/** Throws unless the service a URL from `variable` names is on loopback: the benchmark touches nothing else. */
export function assertLoopbackUrl(variable: string, url: URL): void {
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new Error(`${variable} must be on loopback, not ${url.hostname}`);
  }
}
