import { providerErrors } from '../../errors/index.ts';
import type { UpstreamFetch, UpstreamResponse } from './upstream-fetch.ts';

export interface UpstreamRequest {
  provider: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  signal?: AbortSignal;
  /** The provider's pooled client (see createUpstreamFetch); defaults to the global fetch, as in tests. */
  fetch?: UpstreamFetch;
}

/**
 * The refusal of a guarded transport (an organisation's own base URL that leads to a non-public
 * address), found by its code anywhere in the chain of causes fetch wraps it in.
 */
function blockedDestinationIn(error: unknown): string | undefined {
  let current = error as { code?: unknown; message?: string; cause?: unknown } | undefined;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    if (current.code === 'DESTINATION_BLOCKED') return current.message ?? 'a non-public address';
    current = current.cause as typeof current;
  }
  return undefined;
}

/**
 * POSTs JSON upstream. Network failures become PROVIDER_UNAVAILABLE (retryable); an abort
 * rethrows the signal's reason so callers see why (client gone, timeout). HTTP error statuses are
 * returned, not thrown: each adapter maps its own error bodies.
 */
export async function postUpstream(request: UpstreamRequest): Promise<UpstreamResponse> {
  const doFetch: UpstreamFetch = request.fetch ?? fetch;
  try {
    return await doFetch(request.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...request.headers },
      body: JSON.stringify(request.body),
      ...(request.signal ? { signal: request.signal } : {}),
    });
  } catch (error) {
    if (request.signal?.aborted) throw request.signal.reason;
    // why: fetch wraps the network error in `cause`; undici's request throws it as it is.
    const cause =
      (error as { cause?: { code?: string; message?: string } }).cause ??
      (error as { code?: string; message?: string });
    const blocked = blockedDestinationIn(error);
    if (blocked) throw providerErrors.destinationBlocked(request.provider, blocked);
    if (cause?.code === 'UND_ERR_CONNECT_TIMEOUT') {
      throw providerErrors.connectTimeout(request.provider, new URL(request.url).host);
    }
    const detail = cause?.code ?? cause?.message ?? (error as Error).message;
    throw providerErrors.unavailable(
      request.provider,
      `could not reach ${new URL(request.url).host} (${detail})`,
    );
  }
}

/** Reads an error body as JSON when it is JSON, else as text (trimmed to keep logs sane). */
export async function readErrorBody(response: UpstreamResponse): Promise<{ json: unknown; text: string }> {
  const text = (await response.text().catch(() => '')).slice(0, 8192);
  try {
    return { json: JSON.parse(text), text };
  } catch {
    return { json: undefined, text };
  }
}
