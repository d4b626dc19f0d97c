import {
  errorFromFetchFailure,
  errorFromResponse,
  type KimiError,
  RetryExhaustedError,
} from '../errors/index.ts';
import { backoffDelayMs, defaultRetryPolicy, type RetryPolicy, shouldRetry } from './retry-policy.ts';

type RequestBody = NonNullable<RequestInit['body']>;

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];
export type Query = Readonly<Record<string, QueryValue>>;

export interface TransportOptions {
  /** Empty: no Authorization header. */
  apiKey: string;
  baseUrl: string;
  organizationId?: string;
  timeoutMs: number;
  maxRetries: number;
  fetch: typeof fetch;
}

export interface RequestOptions {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Query;
  /** A JSON body. */
  json?: unknown;
  /** A raw body, made afresh for each attempt (a stream can be read once). */
  body?: () => { body: RequestBody; contentType?: string; streamed?: boolean };
  headers?: Readonly<Record<string, string>>;
  signal?: AbortSignal;
  /** Per attempt, until the response headers arrive (and for buffered reads, the whole body). */
  timeoutMs?: number;
  /** The request may be sent again after a failure without an answer (it carries an Idempotency-Key). */
  retrySafe?: boolean;
  /** Do not read the body: the caller streams it. The timeout then stops at the headers. */
  stream?: boolean;
  /** Retries for this request instead of the client's `maxRetries` (e.g. 0 for a health probe). */
  maxRetries?: number;
}

const idempotentMethods = new Set(['GET', 'PUT', 'DELETE']);

/** Builds the URL of a path with a query string; arrays become repeated parameters. */
export function buildUrl(baseUrl: string, path: string, query?: Query): string {
  const url = new URL(path.replace(/^\//, ''), baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) url.searchParams.append(name, String(item));
    else url.searchParams.set(name, String(value));
  }
  return url.toString();
}

/** Encodes one path segment (an id may contain any character). */
export const segment = (value: string): string => encodeURIComponent(value);

const sleep = (milliseconds: number, signal: AbortSignal | undefined) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, milliseconds);
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', abort, { once: true });
  });

/**
 * Sends requests to the platform: auth and organisation headers, JSON, query strings, a timeout
 * per attempt, and retries with full-jitter backoff for retryable errors. Every failure is a KimiError.
 */
export class Transport {
  readonly options: TransportOptions;
  readonly retryPolicy: RetryPolicy;

  constructor(options: TransportOptions, retryPolicy: Partial<RetryPolicy> = {}) {
    this.options = options;
    this.retryPolicy = { ...defaultRetryPolicy, maxRetries: options.maxRetries, ...retryPolicy };
  }

  /** Sends the request and returns the parsed JSON body (undefined for 204). */
  async json<T>(request: RequestOptions): Promise<T> {
    const { response, text } = await this.send({ ...request, stream: false });
    void response;
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** Sends the request and returns the body as text. */
  async text(request: RequestOptions): Promise<string> {
    return (await this.send({ ...request, stream: false })).text;
  }

  /** Sends the request and returns the response with its body unread (for streams). */
  async stream(request: RequestOptions): Promise<Response> {
    return (await this.send({ ...request, stream: true })).response;
  }

  /** Sends the request and returns the response and, unless streaming, its body text. */
  async send(request: RequestOptions): Promise<{ response: Response; text: string }> {
    const retrySafe = request.retrySafe === true || idempotentMethods.has(request.method);
    const policy =
      request.maxRetries === undefined
        ? this.retryPolicy
        : { ...this.retryPolicy, maxRetries: request.maxRetries };
    let retries = 0;
    while (true) {
      try {
        return await this.#attempt(request);
      } catch (caught) {
        const error = caught as KimiError;
        if (request.signal?.aborted || !shouldRetry(policy, error, retries, retrySafe)) {
          throw retries > 0 && error.retryable ? new RetryExhaustedError(error, retries + 1) : error;
        }
        await sleep(backoffDelayMs(policy, retries, error.retryAfterMs), request.signal);
        retries += 1;
      }
    }
  }

  /** Headers every request carries. */
  headers(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
    return {
      ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
      accept: 'application/json',
      ...(this.options.organizationId ? { 'x-kimi-organization': this.options.organizationId } : {}),
      ...extra,
    };
  }

  async #attempt(request: RequestOptions): Promise<{ response: Response; text: string }> {
    const timeoutMs = request.timeoutMs ?? this.options.timeoutMs;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    const onAbort = () => controller.abort(request.signal?.reason);
    if (request.signal?.aborted) onAbort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    const cleanUp = () => {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
    };
    const headers = this.headers(request.headers);
    let body: RequestBody | undefined;
    let streamed = false;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.body) {
      const made = request.body();
      body = made.body;
      streamed = made.streamed === true;
      if (made.contentType) headers['content-type'] = made.contentType;
    }
    const init: RequestInit & { duplex?: 'half' } = {
      method: request.method,
      headers,
      signal: controller.signal,
      ...(body === undefined ? {} : { body }),
      // why: Node's fetch requires duplex 'half' for a ReadableStream body
      ...(streamed ? { duplex: 'half' as const } : {}),
    };
    try {
      let response: Response;
      try {
        response = await this.options.fetch(
          buildUrl(this.options.baseUrl, request.path, request.query),
          init,
        );
      } catch (cause) {
        if (request.signal?.aborted) throw request.signal.reason;
        throw errorFromFetchFailure(cause, { timedOut, timeoutMs });
      }
      const requestId = response.headers.get('x-request-id') ?? undefined;
      if (!response.ok) {
        const text = await this.#readText(response, {
          timedOut: () => timedOut,
          timeoutMs,
          requestId,
          request,
        });
        throw errorFromResponse(response.status, response.headers, text);
      }
      if (request.stream) return { response, text: '' };
      const text = await this.#readText(response, {
        timedOut: () => timedOut,
        timeoutMs,
        requestId,
        request,
      });
      return { response, text };
    } finally {
      // why: a stream outlives the attempt: the caller's signal still cancels it, our timer no longer
      if (request.stream) clearTimeout(timer);
      else cleanUp();
    }
  }

  async #readText(
    response: Response,
    context: {
      timedOut: () => boolean;
      timeoutMs: number;
      requestId: string | undefined;
      request: RequestOptions;
    },
  ): Promise<string> {
    try {
      return await response.text();
    } catch (cause) {
      if (context.request.signal?.aborted) throw context.request.signal.reason;
      throw errorFromFetchFailure(cause, {
        timedOut: context.timedOut(),
        timeoutMs: context.timeoutMs,
        ...(context.requestId === undefined ? {} : { requestId: context.requestId }),
      });
    }
  }
}
