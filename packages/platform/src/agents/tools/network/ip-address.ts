import { isIP } from 'node:net';

/** An IP address as bytes: 4 for IPv4, 16 for IPv6. */
export interface IpAddress {
  family: 4 | 6;
  bytes: Uint8Array;
}

function parseIpv4(text: string): Uint8Array | null {
  if (isIP(text) !== 4) return null;
  return Uint8Array.from(text.split('.').map(Number));
}

function parseIpv6(text: string): Uint8Array | null {
  if (isIP(text) !== 6) return null;
  let body = text;
  const tail: number[] = [];
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(body);
  if (dotted?.[1] && dotted[2]) {
    const ipv4 = parseIpv4(dotted[2]);
    if (!ipv4) return null;
    tail.push((ipv4[0]! << 8) | ipv4[1]!, (ipv4[2]! << 8) | ipv4[3]!);
    body = dotted[1].endsWith('::') ? dotted[1] : dotted[1].slice(0, -1);
  }
  const [head = '', rest] = body.split('::');
  const words = (part: string) =>
    part === '' ? [] : part.split(':').map((word) => Number.parseInt(word, 16));
  const headWords = words(head);
  const restWords = rest === undefined ? [] : words(rest);
  const missing = 8 - headWords.length - restWords.length - tail.length;
  if (missing < 0 || (rest === undefined && missing !== 0)) return null;
  const all = [...headWords, ...new Array<number>(missing).fill(0), ...restWords, ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((word, index) => {
    bytes[index * 2] = word >> 8;
    bytes[index * 2 + 1] = word & 0xff;
  });
  return bytes;
}

/**
 * Parses an IPv4 or IPv6 literal (brackets and an IPv6 zone id are tolerated: `[fe80::1%eth0]`).
 * Returns null for anything else, including the short and octal IPv4 forms (`127.1`, `0177.0.0.1`)
 * that some resolvers accept: those are names to resolve, never addresses to trust as written.
 */
export function parseIpAddress(text: string): IpAddress | null {
  let candidate = text.trim();
  if (candidate.startsWith('[') && candidate.endsWith(']')) candidate = candidate.slice(1, -1);
  const zone = candidate.indexOf('%');
  if (zone >= 0) candidate = candidate.slice(0, zone);
  const ipv4 = parseIpv4(candidate);
  if (ipv4) return { family: 4, bytes: ipv4 };
  const ipv6 = parseIpv6(candidate);
  return ipv6 ? { family: 6, bytes: ipv6 } : null;
}

/** Dotted (IPv4) or compressed lowercase (IPv6) text of an address. */
export function formatIpAddress(address: IpAddress): string {
  if (address.family === 4) return Array.from(address.bytes).join('.');
  const words: string[] = [];
  for (let index = 0; index < 16; index += 2) {
    words.push(((address.bytes[index]! << 8) | address.bytes[index + 1]!).toString(16));
  }
  return words.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

/** True when the first `prefixLength` bits of both byte arrays agree. */
export function samePrefix(left: Uint8Array, right: Uint8Array, prefixLength: number): boolean {
  if (left.length !== right.length) return false;
  const fullBytes = Math.floor(prefixLength / 8);
  for (let index = 0; index < fullBytes; index += 1) {
    if (left[index] !== right[index]) return false;
  }
  const remainingBits = prefixLength % 8;
  if (remainingBits === 0) return true;
  const mask = (0xff << (8 - remainingBits)) & 0xff;
  return ((left[fullBytes] ?? 0) & mask) === ((right[fullBytes] ?? 0) & mask);
}

/**
 * The IPv4 address an IPv6 address carries where the network would deliver it to that IPv4 host:
 * IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`), NAT64 (`64:ff9b::a.b.c.d`) and
 * 6to4 (`2002:AABB:CCDD::`). Null when there is none.
 */
export function embeddedIpv4(address: IpAddress): IpAddress | null {
  if (address.family !== 6) return null;
  const bytes = address.bytes;
  const zeroThrough = (end: number) => bytes.slice(0, end).every((byte) => byte === 0);
  const lastFour = () => ({ family: 4 as const, bytes: bytes.slice(12, 16) });
  if (zeroThrough(10) && bytes[10] === 0xff && bytes[11] === 0xff) return lastFour();
  if (zeroThrough(12) && !(bytes[12] === 0 && bytes[13] === 0 && bytes[14] === 0)) return lastFour();
  const nat64 = parseIpv6('64:ff9b::')!;
  if (samePrefix(bytes, nat64, 96)) return lastFour();
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return { family: 4, bytes: bytes.slice(2, 6) };
  return null;
}
