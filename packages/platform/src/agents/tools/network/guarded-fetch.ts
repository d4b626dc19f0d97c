import type { LookupAddress, LookupOptions } from 'node:dns';
import { Agent, fetch as undiciFetch } from 'undici';
import { BlockedDestinationError, checkDestination, type HostResolver } from './destination-guard.ts';
import type { NetworkAllowlist } from './network-allowlist.ts';

/** The fetch signature the guarded client offers (and the MCP SDK accepts). */
export type GuardedFetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

export interface GuardedHttpOptions {
  allowlist: NetworkAllowlist;
  resolveHost: HostResolver;
  /** Per connection attempt; default 10 s. */
  connectTimeoutMs?: number;
  /** Redirects followed (each hop checked again) when a request asks to follow; default 5. */
  maxRedirects?: number;
  /** W3C trace context of the active span, added to every request (default none). */
  traceHeaders?: () => Readonly<Record<string, string>>;
}

/** An HTTP client that can reach only public addresses (and the allowlisted ones). */
export interface GuardedHttpClient {
  fetch: GuardedFetch;
  close(): Promise<void>;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

function checkUrl(url: URL): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BlockedDestinationError(`Only http and https URLs may be fetched, not ${url.protocol}.`);
  }
  if (url.username || url.password) {
    throw new BlockedDestinationError('URLs with credentials in them may not be fetched.');
  }
}

function bodyIsReplayable(body: RequestInit['body']): boolean {
  return body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
}

/** The error that explains a failed fetch: our refusal when there was one, else the cause's message. */
export function describeFetchFailure(error: unknown): string {
  let current: unknown = error;
  const messages: string[] = [];
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (current instanceof BlockedDestinationError) return current.message;
    if (current.name === 'TimeoutError' || current.name === 'AbortError')
      return 'The request timed out or was cancelled.';
    messages.push(current.message);
    current = current.cause;
  }
  return messages.filter((message) => message !== 'fetch failed').join(': ') || 'The request failed.';
}

/**
 * A fetch that refuses non-public destinations. Every connection's address comes from a DNS lookup
 * that checks all the addresses of the name and then connects to the one it checked (the socket is
 * pinned to it), so DNS rebinding between check and connect cannot redirect it. Literal addresses
 * are checked before the request. Redirects are followed here, one hop at a time, so each new
 * destination passes the same check; a request may also ask for `redirect: 'manual'`.
 */
export function createGuardedHttpClient(options: GuardedHttpOptions): GuardedHttpClient {
  const { allowlist, resolveHost } = options;
  const maxRedirects = options.maxRedirects ?? 5;
  const agent = new Agent({
    connect: {
      timeout: options.connectTimeoutMs ?? 10_000,
      lookup(hostname: string, lookupOptions: LookupOptions, callback: LookupCallback) {
        checkDestination(hostname, allowlist, resolveHost).then(
          (resolved) => {
            if (lookupOptions.all) callback(null, [{ address: resolved.address, family: resolved.family }]);
            else callback(null, resolved.address, resolved.family);
          },
          (error: Error) => callback(error, ''),
        );
      },
    },
  });

  async function fetchOnce(url: URL, init: RequestInit): Promise<Response> {
    checkUrl(url);
    // why: a literal address never reaches the lookup above, so it is checked here.
    if (/^[\d.]+$/.test(url.hostname) || url.hostname.startsWith('[')) {
      await checkDestination(url.hostname, allowlist, resolveHost);
    }
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(options.traceHeaders?.() ?? {}))
      if (!headers.has(name)) headers.set(name, value);
    const response = await undiciFetch(url, {
      ...(init as Parameters<typeof undiciFetch>[1]),
      headers: headers as unknown as Record<string, string>,
      redirect: 'manual',
      dispatcher: agent,
    });
    return response as unknown as Response;
  }

  return {
    async fetch(input, init = {}) {
      let url = new URL(String(input));
      let request = init;
      const follow = (init.redirect ?? 'follow') === 'follow';
      for (let hop = 0; ; hop += 1) {
        const response = await fetchOnce(url, request);
        const location = response.headers.get('location');
        if (!follow || !redirectStatuses.has(response.status) || !location) return response;
        await response.body?.cancel();
        if (hop >= maxRedirects) throw new BlockedDestinationError(`More than ${maxRedirects} redirects.`);
        url = new URL(location, url);
        const method = (request.method ?? 'GET').toUpperCase();
        if (
          response.status === 303 ||
          ((response.status === 301 || response.status === 302) && method === 'POST')
        ) {
          const { body: _body, ...rest } = request;
          request = { ...rest, method: method === 'HEAD' ? 'HEAD' : 'GET' };
        } else if (!bodyIsReplayable(request.body)) {
          throw new BlockedDestinationError('A redirect asked to resend a streamed body.');
        }
      }
    },
    close: () => agent.close(),
  };
}

/** Reads at most `maxBytes` of a body as UTF-8, cancelling the rest; says whether it was cut. */
export async function readLimitedText(
  response: Response,
  maxBytes: number,
): Promise<{ text: string; truncated: boolean }> {
  if (!response.body) return { text: '', truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > maxBytes) {
      chunks.push(value.subarray(0, maxBytes - size));
      size = maxBytes;
      truncated = true;
      await reader.cancel();
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
  return { text, truncated };
}
