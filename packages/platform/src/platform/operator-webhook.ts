/**
 * Posts JSON to a URL the operator configured (not a tenant's choice, so not behind the SSRF
 * guard): five seconds at most, and anything but a 2xx is a failure.
 */
export async function postOperatorWebhook(url: string, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'kimi-platform' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
    redirect: 'error',
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`the webhook answered ${response.status}`);
}
