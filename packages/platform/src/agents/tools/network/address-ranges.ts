import { embeddedIpv4, type IpAddress, parseIpAddress, samePrefix } from './ip-address.ts';

/** A network: an address and how many leading bits of it are fixed. */
export interface IpNetwork {
  address: IpAddress;
  prefixLength: number;
}

/** Parses `10.0.0.0/8`, `fd00::/8` or a bare address (a single-host network); null when invalid. */
export function parseIpNetwork(text: string): IpNetwork | null {
  const [addressText = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return null;
  const address = parseIpAddress(addressText);
  if (!address) return null;
  const maximum = address.family === 4 ? 32 : 128;
  if (prefixText === undefined) return { address, prefixLength: maximum };
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefixLength = Number(prefixText);
  return prefixLength <= maximum ? { address, prefixLength } : null;
}

export function networkContains(network: IpNetwork, address: IpAddress): boolean {
  return (
    network.address.family === address.family &&
    samePrefix(network.address.bytes, address.bytes, network.prefixLength)
  );
}

function networks(list: readonly string[]): IpNetwork[] {
  return list.map((text) => {
    const network = parseIpNetwork(text);
    if (!network) throw new Error(`bad built-in network ${text}`);
    return network;
  });
}

/**
 * Everything that is not the public internet (IANA special-purpose registries), so a tool cannot
 * reach this machine, the platform's private network, or a cloud metadata service.
 */
const nonPublicNetworks = networks([
  '0.0.0.0/8', // "this" network; 0.0.0.0 reaches the local host on Linux
  '10.0.0.0/8', // private
  '100.64.0.0/10', // carrier-grade NAT
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local: cloud metadata at 169.254.169.254
  '172.16.0.0/12', // private
  '192.0.0.0/24', // IETF protocol assignments (includes other metadata endpoints)
  '192.0.2.0/24', // documentation
  '192.88.99.0/24', // 6to4 relay anycast
  '192.168.0.0/16', // private
  '198.18.0.0/15', // benchmarking
  '198.51.100.0/24', // documentation
  '203.0.113.0/24', // documentation
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, and 255.255.255.255 broadcast
  '::/128', // unspecified
  '::1/128', // loopback
  '64:ff9b:1::/48', // local-use NAT64
  '100::/64', // discard-only
  '2001::/32', // Teredo: tunnels to an IPv4 host hidden in the address
  '2001:db8::/32', // documentation
  'fc00::/7', // unique local (includes fd00:ec2::254, a metadata address)
  'fe80::/10', // link-local
  'fec0::/10', // site-local (deprecated)
  'ff00::/8', // multicast
]);

/** Why an address is not public (a short phrase), or null when it is a public unicast address. */
export function nonPublicReason(address: IpAddress): string | null {
  const inner = embeddedIpv4(address);
  if (inner) {
    const reason = nonPublicReason(inner);
    return reason ? `an IPv6 form of ${reason}` : null;
  }
  const network = nonPublicNetworks.find((candidate) => networkContains(candidate, address));
  if (!network) return null;
  const first = address.bytes[0];
  if (address.family === 4) {
    if (first === 127) return 'a loopback address';
    if (first === 169 && address.bytes[1] === 254) return 'a link-local (cloud metadata) address';
    if (first !== undefined && first >= 224 && first < 240) return 'a multicast address';
    return 'a private or reserved address';
  }
  if (network.prefixLength === 128) return 'a loopback or unspecified address';
  if (first === 0xff) return 'a multicast address';
  if (first === 0xfe) return 'a link-local address';
  if (first === 0xfc || first === 0xfd) return 'a unique-local address';
  return 'a reserved address';
}
