import type { HeaderReader } from './upstream-fetch.ts';

/**
 * Milliseconds to wait, from `retry-after-ms` (OpenAI, Azure), `retry-after` in seconds, or
 * `retry-after` as an HTTP date. Undefined when absent or unreadable.
 */
export function readRetryAfterMs(headers: HeaderReader, now: number = Date.now()): number | undefined {
  const milliseconds = headers.get('retry-after-ms');
  if (milliseconds !== null && milliseconds.trim() !== '') {
    const value = Number(milliseconds);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const retryAfter = headers.get('retry-after');
  if (retryAfter === null || retryAfter.trim() === '') return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
