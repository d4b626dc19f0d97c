/**
 * Preloaded into Portkey's gateway only. Portkey 1.15.2 adds its `x-portkey-*` headers to the
 * upstream's own fetch Response when it passes a stream through; under Node 20 with the
 * @hono/node-server this workspace has (1.19.x) those headers are immutable, so every streamed
 * request fails with `TypeError: immutable` (Portkey issues #1389 and #1550). This wraps `fetch` so
 * that an event-stream response is handed over as a copy with ordinary headers, the way older
 * @hono/node-server versions behaved; JSON responses are untouched.
 */
const originalFetch = globalThis.fetch;
const OriginalResponse = globalThis.Response;

globalThis.fetch = async function fetchWithMutableStreamHeaders(
  input: Parameters<typeof fetch>[0],
  init?: Parameters<typeof fetch>[1],
): Promise<Response> {
  const response = await originalFetch(input, init);
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) return response;
  return new OriginalResponse(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
};
