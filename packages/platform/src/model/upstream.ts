/** Reads response headers by name, case-insensitively: the WHATWG `Headers` has this shape. */
export interface HeaderReader {
  get(name: string): string | null;
}

/**
 * What the adapters read from an upstream response: the part of the WHATWG `Response` they use,
 * so the global `fetch` (injected in tests) and the providers' pooled client are interchangeable.
 */
export interface UpstreamResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: HeaderReader;
  /** The whole body as text (read at most once). */
  text(): Promise<string>;
  /** The body as it arrives; stopping the iteration early releases the connection. */
  readonly body: AsyncIterable<Uint8Array> | null;
}

/** The one request shape the adapters send: a POST of a JSON text body. */
export interface UpstreamRequestInit {
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  signal?: AbortSignal;
}

/** How adapters reach a provider; the global `fetch` fits it too. */
export type UpstreamFetch = (url: string, init: UpstreamRequestInit) => Promise<UpstreamResponse>;
