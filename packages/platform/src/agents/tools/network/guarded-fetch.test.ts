import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostResolver } from './destination-guard.ts';
import { createGuardedHttpClient, describeFetchFailure, readLimitedText } from './guarded-fetch.ts';
import { createNetworkAllowlist, emptyAllowlist } from './network-allowlist.ts';

let server: Server;
let port: number;
let hits: string[] = [];

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    hits.push(request.url ?? '');
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/redirect') {
      response.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end();
      return;
    }
    if (url.pathname === '/big') {
      response.end('x'.repeat(100_000));
      return;
    }
    response.end(`hello from ${url.pathname}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const nowhere: HostResolver = async (hostname) => {
  throw new Error(`unexpected lookup of ${hostname}`);
};

async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return describeFetchFailure(error);
  }
  throw new Error('expected a refusal');
}

describe('guarded fetch', () => {
  it.each([
    ['http://127.0.0.1:PORT/', /127\.0\.0\.1 is a loopback address/],
    ['http://[::1]:PORT/', /::1\] is a loopback or unspecified address/],
    ['http://[::ffff:127.0.0.1]:PORT/', /IPv6 form of a loopback address/],
    ['http://169.254.169.254/latest/meta-data/', /link-local \(cloud metadata\)/],
    ['http://10.0.0.1/', /private or reserved/],
    ['http://0.0.0.0:PORT/', /private or reserved/],
    ['http://2130706433:PORT/', /127\.0\.0\.1 is a loopback/],
    ['http://localhost:PORT/', /localhost is this machine/],
    ['file:///etc/passwd', /Only http and https/],
    ['http://user:secret@example.com/', /credentials/],
  ])('refuses %s without connecting', async (url, message) => {
    hits = [];
    const client = createGuardedHttpClient({ allowlist: emptyAllowlist, resolveHost: nowhere });
    expect(await failureOf(client.fetch(url.replace('PORT', String(port))))).toMatch(message);
    expect(hits).toEqual([]);
    await client.close();
  });

  it('refuses a DNS name that resolves to loopback, or to any private address among public ones', async () => {
    hits = [];
    const resolveHost: HostResolver = async (hostname) =>
      hostname === 'mixed.test'
        ? [
            { address: '93.184.216.34', family: 4 },
            { address: '::1', family: 6 },
          ]
        : [{ address: '127.0.0.1', family: 4 }];
    const client = createGuardedHttpClient({ allowlist: emptyAllowlist, resolveHost });
    expect(await failureOf(client.fetch(`http://rebind.test:${port}/`))).toMatch(
      /rebind\.test resolves to 127\.0\.0\.1, a loopback address/,
    );
    expect(await failureOf(client.fetch(`http://mixed.test:${port}/`))).toMatch(/resolves to ::1/);
    expect(hits).toEqual([]);
    await client.close();
  });

  it('connects to the address it checked, resolving once (DNS rebinding cannot switch it)', async () => {
    let lookups = 0;
    const resolveHost: HostResolver = async () => {
      lookups += 1;
      // The first answer is checked and used; a rebinding server's later answer is never asked for.
      return [{ address: lookups === 1 ? '127.0.0.1' : '10.0.0.1', family: 4 }];
    };
    const client = createGuardedHttpClient({ allowlist: createNetworkAllowlist(['127.0.0.1']), resolveHost });
    const response = await client.fetch(`http://tools.test:${port}/pinned`);
    expect(await response.text()).toBe('hello from /pinned');
    expect(lookups).toBe(1);
    await client.close();
  });

  it('follows redirects, checking every hop', async () => {
    const client = createGuardedHttpClient({
      allowlist: createNetworkAllowlist(['127.0.0.1']),
      resolveHost: nowhere,
    });
    const followed = await client.fetch(`http://127.0.0.1:${port}/redirect?to=/landed`);
    expect(await followed.text()).toBe('hello from /landed');
    for (const target of [
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/',
      `http://[::1]:${port}/`,
      `http://localhost:${port}/`,
    ]) {
      hits = [];
      const url = `http://127.0.0.1:${port}/redirect?to=${encodeURIComponent(target)}`;
      expect(await failureOf(client.fetch(url))).toMatch(/may not be reached|this machine/);
      expect(hits).toEqual([`/redirect?to=${encodeURIComponent(target)}`]);
    }
    const manual = await client.fetch(`http://127.0.0.1:${port}/redirect?to=/x`, { redirect: 'manual' });
    expect(manual.status).toBe(302);
    await client.close();
  });

  it('stops after too many redirects', async () => {
    const client = createGuardedHttpClient({
      allowlist: createNetworkAllowlist(['127.0.0.1']),
      resolveHost: nowhere,
      maxRedirects: 2,
    });
    const loop = `/redirect?to=${encodeURIComponent('/redirect?to=/redirect')}`;
    expect(await failureOf(client.fetch(`http://127.0.0.1:${port}${loop}`))).toMatch(/More than 2 redirects/);
    await client.close();
  });

  it('reads at most the size limit', async () => {
    const client = createGuardedHttpClient({
      allowlist: createNetworkAllowlist(['127.0.0.0/8']),
      resolveHost: nowhere,
    });
    const response = await client.fetch(`http://127.0.0.1:${port}/big`);
    const { text, truncated } = await readLimitedText(response, 1000);
    expect(text).toHaveLength(1000);
    expect(truncated).toBe(true);
    await client.close();
  });
});
