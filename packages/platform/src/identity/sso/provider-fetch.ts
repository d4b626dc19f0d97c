/** The fetch the identity-provider calls go through, injected (a deployment passes a guarded one). */
export type ProviderFetch = (input: string, init?: RequestInit) => Promise<Response>;

/** A provider answer read as JSON, or why it could not be. */
export type JsonAnswer =
  | { ok: true; status: number; body: unknown }
  | { ok: false; detail: string; cause?: unknown };

const maximumBodyBytes = 1024 * 1024;

/** The body as text, or null past the cap (read chunk by chunk, so a huge body is never held). */
async function readLimited(response: Response): Promise<string | null> {
  if (Number(response.headers.get('content-length') ?? '0') > maximumBodyBytes) {
    await response.body?.cancel();
    return null;
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maximumBodyBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Calls a provider endpoint and parses its JSON answer, whatever the status. Redirects are not
 * followed (a redirect could lead past the URL checks); the body is capped at 1 MiB; the call is
 * aborted after `timeoutMs`.
 */
export async function fetchProviderJson(
  fetch: ProviderFetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<JsonAnswer> {
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json', ...(init.headers as Record<string, string> | undefined) },
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    return {
      ok: false,
      detail: timedOut ? `no answer within ${timeoutMs} ms` : 'the request failed',
      cause: error,
    };
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    return { ok: false, detail: `HTTP ${response.status} redirect (not followed)` };
  }
  const text = await readLimited(response);
  if (text === null) return { ok: false, detail: 'the answer is larger than 1 MiB' };
  try {
    return { ok: true, status: response.status, body: JSON.parse(text) };
  } catch (error) {
    return { ok: false, detail: `HTTP ${response.status} with a body that is not JSON`, cause: error };
  }
}
