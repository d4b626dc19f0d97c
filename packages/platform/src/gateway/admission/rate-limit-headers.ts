import type { RateLimitState } from '../../metering/limits/index.ts';

/** OpenAI's duration format for reset headers: "1s", "6m0s", "250ms". */
export function formatResetDuration(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.max(0, Math.ceil(milliseconds))}ms`;
  const totalSeconds = Math.ceil(milliseconds / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

/**
 * `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` for the tightest limit of each kind
 * (the organisation's or the key's, whichever has less room), as OpenAI sends them.
 */
export function rateLimitHeaders(states: readonly RateLimitState[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const kind of ['requests', 'tokens'] as const) {
    const tightest = states
      .filter((state) => state.rule.kind === kind)
      .sort((left, right) => left.remaining - right.remaining)[0];
    if (!tightest) continue;
    headers[`x-ratelimit-limit-${kind}`] = String(tightest.rule.limit);
    headers[`x-ratelimit-remaining-${kind}`] = String(Math.max(0, tightest.remaining));
    // OpenAI: the time until the limit has fully reset to its initial state, not until one more fits.
    headers[`x-ratelimit-reset-${kind}`] = formatResetDuration(tightest.fullResetMs);
  }
  return headers;
}
