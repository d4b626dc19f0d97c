import { describe, expect, it } from 'vitest';
import { nonPublicReason, parseIpNetwork } from './address-ranges.ts';
import { embeddedIpv4, formatIpAddress, parseIpAddress } from './ip-address.ts';
import { allowlistEntryProblem, createNetworkAllowlist } from './network-allowlist.ts';

function reasonOf(text: string): string | null {
  const address = parseIpAddress(text);
  if (!address) throw new Error(`unparsable ${text}`);
  return nonPublicReason(address);
}

describe('IP addresses', () => {
  it('parses IPv4, IPv6, brackets, zones and embedded IPv4', () => {
    expect(formatIpAddress(parseIpAddress('10.1.2.3')!)).toBe('10.1.2.3');
    expect(formatIpAddress(parseIpAddress('[::1]')!)).toBe('::1');
    expect(formatIpAddress(parseIpAddress('fe80::1%eth0')!)).toBe('fe80::1');
    expect(formatIpAddress(parseIpAddress('::ffff:127.0.0.1')!)).toBe('::ffff:7f00:1');
    expect(formatIpAddress(embeddedIpv4(parseIpAddress('::ffff:7f00:1')!)!)).toBe('127.0.0.1');
    expect(formatIpAddress(embeddedIpv4(parseIpAddress('64:ff9b::a9fe:a9fe')!)!)).toBe('169.254.169.254');
    expect(formatIpAddress(embeddedIpv4(parseIpAddress('2002:0a00:0001::')!)!)).toBe('10.0.0.1');
    expect(parseIpAddress('127.1')).toBeNull();
    expect(parseIpAddress('example.com')).toBeNull();
    expect(parseIpAddress('1::2::3')).toBeNull();
  });
});

describe('non-public ranges', () => {
  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['127.255.0.9', 'a loopback address'],
    ['::1', 'a loopback or unspecified address'],
    ['::', 'a loopback or unspecified address'],
    ['0.0.0.0', 'a private or reserved address'],
    ['169.254.169.254', 'a link-local (cloud metadata) address'],
    ['10.0.0.1', 'a private or reserved address'],
    ['10.255.255.255', 'a private or reserved address'],
    ['172.16.0.1', 'a private or reserved address'],
    ['172.31.255.1', 'a private or reserved address'],
    ['192.168.1.1', 'a private or reserved address'],
    ['100.64.0.1', 'a private or reserved address'],
    ['224.0.0.1', 'a multicast address'],
    ['255.255.255.255', 'a private or reserved address'],
    ['fe80::1', 'a link-local address'],
    ['fd00:ec2::254', 'a unique-local address'],
    ['fc00::1', 'a unique-local address'],
    ['ff02::1', 'a multicast address'],
    ['::ffff:127.0.0.1', 'an IPv6 form of a loopback address'],
    ['::ffff:a9fe:a9fe', 'an IPv6 form of a link-local (cloud metadata) address'],
    ['::127.0.0.1', 'an IPv6 form of a loopback address'],
    ['64:ff9b::10.0.0.1', 'an IPv6 form of a private or reserved address'],
    ['2002:7f00:1::', 'an IPv6 form of a loopback address'],
    ['2001:0:4136:e378::1', 'a reserved address'],
  ])('%s is %s', (address, reason) => {
    expect(reasonOf(address)).toBe(reason);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])(
    '%s is public',
    (address) => {
      expect(reasonOf(address)).toBeNull();
    },
  );
});

describe('allowlists', () => {
  it('matches addresses, networks (also in IPv4-mapped form) and host names', () => {
    const allowlist = createNetworkAllowlist([
      '127.0.0.1',
      '10.1.0.0/16',
      'fd00::/8',
      'wiki.corp',
      '*.internal.test',
    ]);
    const allows = (text: string) => allowlist.allowsAddress(parseIpAddress(text)!);
    expect(allows('127.0.0.1')).toBe(true);
    expect(allows('::ffff:127.0.0.1')).toBe(true);
    expect(allows('127.0.0.2')).toBe(false);
    expect(allows('10.1.200.3')).toBe(true);
    expect(allows('10.2.0.1')).toBe(false);
    expect(allows('fd12::1')).toBe(true);
    expect(allowlist.allowsHost('WIKI.corp.')).toBe(true);
    expect(allowlist.allowsHost('a.b.internal.test')).toBe(true);
    expect(allowlist.allowsHost('internal.test')).toBe(false);
  });

  it('explains unusable entries', () => {
    expect(allowlistEntryProblem('10.0.0.0/8')).toBeNull();
    expect(allowlistEntryProblem('::1')).toBeNull();
    expect(allowlistEntryProblem('*.corp.example')).toBeNull();
    expect(allowlistEntryProblem('10.0.0.0/33')).toMatch(/CIDR/);
    expect(allowlistEntryProblem('300.1.1.1')).toMatch(/CIDR/);
    expect(allowlistEntryProblem('bad host!')).toMatch(/host name/);
    expect(parseIpNetwork('10.0.0.0/8/1')).toBeNull();
  });
});
