/**
 * The level of a request's `request completed` line, or null when sampling skips it: a 5xx is an
 * error and a 4xx a warning, both always written; a success is info, written at `sampleRate`.
 */
export function requestLogLevel(
  status: number,
  sampleRate: number,
  random: () => number = Math.random,
): 'info' | 'warn' | 'error' | null {
  if (status >= 500) return 'error';
  if (status >= 400) return 'warn';
  if (sampleRate >= 1) return 'info';
  return random() < sampleRate ? 'info' : null;
}
