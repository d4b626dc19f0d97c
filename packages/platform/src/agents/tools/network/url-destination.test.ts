import { describe, expect, it } from 'vitest';
import type { HostResolver } from './destination-guard.ts';
import { createNetworkAllowlist, emptyAllowlist } from './network-allowlist.ts';
import { urlDestinationProblem } from './url-destination.ts';

const resolveHost: HostResolver = async (hostname) => {
  if (hostname === 'internal.test') return [{ address: '10.0.0.5', family: 4 }];
  if (hostname === 'public.test') return [{ address: '93.184.216.34', family: 4 }];
  if (hostname === 'empty.test') return [];
  throw new Error(`getaddrinfo ENOTFOUND ${hostname}`);
};

const problem = (url: string, allowlist = emptyAllowlist) =>
  urlDestinationProblem(url, { allowlist, resolveHost });

describe('urlDestinationProblem', () => {
  it('refuses non-public literals in every spelling, localhost, and names resolving to private addresses', async () => {
    expect(await problem('https://0x7f.1/x')).toMatch(/127\.0\.0\.1 is a loopback address/);
    expect(await problem('https://[::ffff:169.254.169.254]/')).toMatch(/link-local/);
    expect(await problem('https://localhost./')).toMatch(/this machine/);
    expect(await problem('https://internal.test/')).toMatch(/resolves to 10\.0\.0\.5/);
    expect(await problem('https://user:secret@public.test/')).toMatch(/credentials/);
    expect(await problem('ftp://public.test/')).toMatch(/https/);
  });

  it('accepts public hosts, allowlisted ones, and names that do not resolve (checked again at call time)', async () => {
    expect(await problem('https://public.test/')).toBeNull();
    expect(await problem('https://93.184.216.34:8443/')).toBeNull();
    expect(await problem('https://unknown.test/')).toBeNull();
    expect(await problem('https://empty.test/')).toBeNull();
    expect(await problem('http://internal.test/', createNetworkAllowlist(['10.0.0.0/8']))).toBeNull();
    expect(await problem('https://127.0.0.1:9/', createNetworkAllowlist(['127.0.0.1']))).toBeNull();
  });
});
