import { hrtime } from 'node:process';
import type { Pool } from 'undici';
import type { LoadApi } from './load-types.ts';

/** A finished request: when its first body byte and its last arrived (process.hrtime.bigint()). */
export type RequestOutcome =
  | { ok: true; firstByteAt: bigint; endAt: bigint }
  | { ok: false; failure: string };

/** What to send; `body` gives each request its own (see requestBodies). */
export interface PreparedRequest {
  path: string;
  headers: Record<string, string>;
  body: () => Buffer;
  stream: boolean;
  /** Decides how a whole stream ends: `[DONE]`, or the Responses API's `response.completed` event. */
  api: LoadApi;
  timeoutMs: number;
}

/** True when the end of a body shows a whole answer. */
function isWhole(request: PreparedRequest, bytes: number, end: string): boolean {
  if (!request.stream) return bytes > 100 && end.trimEnd().endsWith('}');
  if (request.api === 'responses') return end.includes('event: response.completed');
  return end.trimEnd().endsWith('[DONE]');
}

function failureKind(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';
  if (code === 'UND_ERR_DESTROYED' || code === 'UND_ERR_CLOSED') return 'unfinished at end of step';
  return typeof code === 'string' ? code : (error as Error).message.slice(0, 60);
}

/**
 * Sends one chat request on the pool and reads the whole answer. A stream must end with
 * `[DONE]` and a JSON answer must be a whole object, or the request counts as failed (`truncated`).
 * `onFirstByte` runs when the first body byte arrives.
 */
export async function sendRequest(
  pool: Pool,
  request: PreparedRequest,
  hooks: { onFirstByte?: () => void } = {},
): Promise<RequestOutcome> {
  let response: Awaited<ReturnType<Pool['request']>>;
  try {
    response = await pool.request({
      path: request.path,
      method: 'POST',
      headers: request.headers,
      body: request.body(),
      headersTimeout: request.timeoutMs,
      bodyTimeout: request.timeoutMs,
    });
  } catch (error) {
    return { ok: false, failure: failureKind(error) };
  }
  if (response.statusCode !== 200) {
    await response.body.dump().catch(() => undefined);
    return { ok: false, failure: `status ${response.statusCode}` };
  }
  return new Promise((resolve) => {
    let firstByteAt = 0n;
    let bytes = 0;
    // Only the end of the body is checked, so keep the last two chunks rather than the whole body.
    let previous: Buffer | null = null;
    let last: Buffer | null = null;
    response.body.on('data', (chunk: Buffer) => {
      if (firstByteAt === 0n) {
        firstByteAt = hrtime.bigint();
        hooks.onFirstByte?.();
      }
      bytes += chunk.length;
      previous = last;
      last = chunk;
    });
    response.body.once('end', () => {
      const endAt = hrtime.bigint();
      // why the last two chunks, not 64 bytes: the Responses API's last event carries the whole
      // response object after its name.
      const end = Buffer.concat([previous ?? Buffer.alloc(0), last ?? Buffer.alloc(0)]).toString('latin1');
      const whole = isWhole(request, bytes, request.api === 'responses' ? end : end.slice(-64));
      resolve(whole ? { ok: true, firstByteAt, endAt } : { ok: false, failure: 'truncated' });
    });
    response.body.once('error', (error) => resolve({ ok: false, failure: failureKind(error) }));
  });
}
