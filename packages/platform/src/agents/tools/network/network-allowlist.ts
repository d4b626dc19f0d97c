import { type IpNetwork, networkContains, parseIpNetwork } from './address-ranges.ts';
import { embeddedIpv4, type IpAddress } from './ip-address.ts';

/**
 * Destinations an organisation may reach although they are not public: host names (`wiki.corp`,
 * or `*.corp` for every subdomain), addresses and CIDR networks (`10.1.0.0/16`, `fd00::/8`).
 * Set by the platform admin, never by a tenant: allowing private addresses opens the platform's own
 * network to that tenant's tools.
 */
export interface NetworkAllowlist {
  /** True when the host name itself is allowlisted (then any address it resolves to is allowed). */
  allowsHost(hostname: string): boolean;
  allowsAddress(address: IpAddress): boolean;
  readonly entries: readonly string[];
}

const hostPattern = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** Why an allowlist entry is unusable, or null when it is a valid host name, address or CIDR. */
export function allowlistEntryProblem(entry: string): string | null {
  if (entry.includes('/') || entry.includes(':') || /^[\d.]+$/.test(entry)) {
    return parseIpNetwork(entry) ? null : 'is not a valid IP address or CIDR network';
  }
  return hostPattern.test(entry.toLowerCase()) && entry.length <= 253
    ? null
    : 'is not a valid host name (letters, digits, dashes and dots; `*.` may start it)';
}

export function createNetworkAllowlist(entries: readonly string[]): NetworkAllowlist {
  const networks: IpNetwork[] = [];
  const hosts: string[] = [];
  const suffixes: string[] = [];
  for (const entry of entries) {
    const network = parseIpNetwork(entry);
    if (network) networks.push(network);
    else if (entry.startsWith('*.')) suffixes.push(entry.slice(1).toLowerCase());
    else hosts.push(entry.toLowerCase().replace(/\.$/, ''));
  }
  return {
    entries,
    allowsHost(hostname) {
      const host = hostname.toLowerCase().replace(/\.$/, '');
      return hosts.includes(host) || suffixes.some((suffix) => host.endsWith(suffix));
    },
    allowsAddress(address) {
      const inner = embeddedIpv4(address);
      return networks.some(
        (network) => networkContains(network, address) || (inner !== null && networkContains(network, inner)),
      );
    },
  };
}

export const emptyAllowlist: NetworkAllowlist = createNetworkAllowlist([]);
