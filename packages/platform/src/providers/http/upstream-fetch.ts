import { Agent, request as undiciRequest } from 'undici';
import type { HeaderReader, UpstreamFetch } from '../../model/index.ts';

export type {
  HeaderReader,
  UpstreamFetch,
  UpstreamRequestInit,
  UpstreamResponse,
} from '../../model/index.ts';

/**
 * Stops reading a body early so its connection is released: cancels a WHATWG stream (global
 * fetch) or destroys a Node stream (undici's request). Never throws.
 */
export async function discardBody(body: AsyncIterable<Uint8Array>): Promise<void> {
  const closable = body as { cancel?: () => Promise<void>; destroy?: () => void };
  try {
    if (typeof closable.cancel === 'function') await closable.cancel();
    else if (typeof closable.destroy === 'function') closable.destroy();
  } catch {
    // Already closed or errored: nothing left to release.
  }
}

function headerReader(headers: Record<string, string | string[] | undefined>): HeaderReader {
  return {
    get(name) {
      const value = headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/**
 * A client for one provider on a pooled keep-alive agent whose connecting (TCP and TLS) is bounded
 * by `connectTimeoutMs`, which Node's global fetch cannot set per provider. It uses undici's
 * `request` rather than its `fetch`: the same wire behaviour without WHATWG Request, Response and
 * streams around every call, which cost about three times the CPU of the call itself on the hot path.
 * undici checks its timers about once a second, so the connect bound is approximate to that.
 */
export function createUpstreamFetch(options: { connectTimeoutMs: number }): UpstreamFetch {
  const agent = new Agent({ connect: { timeout: options.connectTimeoutMs } });
  return async (url, init) => {
    const response = await undiciRequest(url, {
      method: init.method,
      headers: init.headers,
      body: init.body,
      dispatcher: agent,
      ...(init.signal ? { signal: init.signal } : {}),
    });
    const { statusCode, body } = response;
    return {
      status: statusCode,
      ok: statusCode >= 200 && statusCode < 300,
      headers: headerReader(response.headers),
      text: () => body.text(),
      body,
    };
  };
}
