import { lookup as dnsLookup } from 'node:dns/promises';
import { nonPublicReason } from './address-ranges.ts';
import { parseIpAddress } from './ip-address.ts';
import type { NetworkAllowlist } from './network-allowlist.ts';

/** A resolved address of a host name. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** DNS as a dependency: every address a host name resolves to. Tests pass their own. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** The system resolver (getaddrinfo, as connections would use). */
export const systemHostResolver: HostResolver = async (hostname) => {
  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));
};

/** A destination the guard refused: the message says which host and why, for the model to read. */
export class BlockedDestinationError extends Error {
  /** Lets layers that cannot import this class (provider calls) recognise the refusal in a `cause`. */
  readonly code = 'DESTINATION_BLOCKED';

  constructor(message: string) {
    super(message);
    this.name = 'BlockedDestinationError';
  }
}

/**
 * Decides where a connection may go: the one address to connect to for a host, after checking every
 * address the host resolves to. A name whose addresses include any non-public one is refused as a
 * whole (an attacker controls which of several records a client picks), unless the name or the
 * addresses are allowlisted.
 */
export async function checkDestination(
  hostname: string,
  allowlist: NetworkAllowlist,
  resolveHost: HostResolver,
): Promise<ResolvedAddress> {
  const literal = parseIpAddress(hostname);
  if (literal) {
    const reason = nonPublicReason(literal);
    if (reason && !allowlist.allowsAddress(literal)) {
      throw new BlockedDestinationError(`The address ${hostname} is ${reason}; it may not be reached.`);
    }
    return { address: hostname.replace(/^\[|\]$/g, ''), family: literal.family };
  }
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) {
    if (!allowlist.allowsHost(host))
      throw new BlockedDestinationError(`The host ${hostname} is this machine.`);
  }
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolveHost(host);
  } catch (error) {
    throw new BlockedDestinationError(
      `The host ${hostname} could not be resolved: ${(error as Error).message}`,
    );
  }
  if (addresses.length === 0) throw new BlockedDestinationError(`The host ${hostname} has no address.`);
  if (allowlist.allowsHost(host)) return addresses[0]!;
  for (const resolved of addresses) {
    const address = parseIpAddress(resolved.address);
    if (!address)
      throw new BlockedDestinationError(`The host ${hostname} resolved to an unreadable address.`);
    const reason = nonPublicReason(address);
    if (reason && !allowlist.allowsAddress(address)) {
      throw new BlockedDestinationError(
        `The host ${hostname} resolves to ${resolved.address}, ${reason}; it may not be reached.`,
      );
    }
  }
  return addresses[0]!;
}
