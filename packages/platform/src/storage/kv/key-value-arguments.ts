/**
 * Argument checks shared by every key-value backend, so both reject the same mistakes with the
 * same messages instead of one backend silently rounding what the other refuses.
 */

/** Throws unless `amount` is a safe integer (Redis INCRBY accepts integers only). */
export function assertIntegerAmount(amount: number): void {
  if (!Number.isSafeInteger(amount)) {
    throw new Error(`increment amount must be a safe integer, got ${amount}`);
  }
}

/**
 * Returns `ttlMs` as a whole number of milliseconds (rounded up, so a key never lives shorter
 * than asked); throws unless it is a positive finite number.
 */
export function normalizeTimeToLive(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new Error(`ttlMs must be a positive number of milliseconds, got ${ttlMs}`);
  }
  return Math.ceil(ttlMs);
}

/** Parses a stored counter value; throws like Redis does when the value is not an integer. */
export function parseCounter(key: string, value: string): number {
  const parsed = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(parsed)) {
    throw new Error(`value of key "${key}" is not an integer`);
  }
  return parsed;
}
