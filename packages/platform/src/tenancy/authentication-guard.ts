import { PlatformError } from '../errors/index.ts';
import type { KeyValueStore } from '../storage/kv/index.ts';
import type { Clock } from '../support/index.ts';

const windowMs = 60_000;

export interface AuthenticationGuardOptions {
  /** Counts failures; shared by every replica when it is Redis. */
  keyValueStore: KeyValueStore;
  clock: Clock;
  limits: () => { perAddress: number; perKeyPrefix: number };
  /** Told once when an address or a key prefix starts being refused (a security event). */
  onBlocked?: (blocked: { kind: 'address' | 'key-prefix'; value: string; failures: number }) => void;
}

/**
 * Slows down key guessing: failed authentications are counted per client address and per key
 * prefix in one-minute windows. Past its limit an address is refused with 429 until the window
 * ends, before its secrets are even looked up; past its limit a key prefix has its failures
 * answered 429 too, but a valid key with that prefix keeps working (so nobody can lock a key's
 * owner out by failing with its displayed prefix). The check is local (no I/O on the request
 * path); the counts are shared, so a guesser spread over replicas is stopped too. Keys are
 * compared as SHA-256 hashes through an index, so a lookup's time says nothing about how much of
 * a guess was right.
 */
export interface AuthenticationGuard {
  /** Throws AUTHENTICATION_RATE_LIMITED while the client address is refused. */
  check(clientAddress: string | null): void;
  /** Counts one failed authentication; the refusal to answer instead of 401 when a limit is passed. */
  recordFailure(clientAddress: string | null, secret: string): Promise<PlatformError | null>;
}

/** The part of a secret the per-prefix count uses: what a guesser keeps while varying the rest. */
function prefixOf(secret: string): string {
  return secret.slice(0, 12);
}

export function createAuthenticationGuard(options: AuthenticationGuardOptions): AuthenticationGuard {
  const blockedUntil = new Map<string, number>();

  function refused(until: number): PlatformError {
    return new PlatformError({
      code: 'AUTHENTICATION_RATE_LIMITED',
      message: 'Too many failed authentications from this client or with keys like this one.',
      hint: 'Check the API key; requests are accepted again after the Retry-After delay.',
      status: 429,
      category: 'user',
      type: 'rate_limit_error',
      retryable: true,
      retryAfterMs: Math.max(1000, until - options.clock.now()),
    });
  }

  function blockedNow(key: string, now: number): number | null {
    const until = blockedUntil.get(key);
    if (until === undefined) return null;
    if (until > now) return until;
    blockedUntil.delete(key);
    return null;
  }

  /** Counts a failure; the end of the block when the limit is passed, else null. */
  async function count(kind: 'address' | 'key-prefix', value: string, limit: number): Promise<number | null> {
    const now = options.clock.now();
    const window = Math.floor(now / windowMs);
    const failures = await options.keyValueStore.increment(`auth-failures:${kind}:${value}:${window}`, 1, {
      ttlMs: windowMs * 2,
    });
    if (failures <= limit) return null;
    const key = `${kind}:${value}`;
    if (blockedUntil.size > 10_000) {
      for (const [entry, until] of blockedUntil) if (until <= now) blockedUntil.delete(entry);
    }
    const until = (window + 1) * windowMs;
    if (blockedNow(key, now) === null) {
      blockedUntil.set(key, until);
      options.onBlocked?.({ kind, value, failures });
    }
    return until;
  }

  return {
    check(clientAddress) {
      if (blockedUntil.size === 0 || !clientAddress) return;
      const until = blockedNow(`address:${clientAddress}`, options.clock.now());
      if (until !== null) throw refused(until);
    },
    async recordFailure(clientAddress, secret) {
      const limits = options.limits();
      const [address, prefix] = await Promise.all([
        clientAddress ? count('address', clientAddress, limits.perAddress) : Promise.resolve(null),
        count('key-prefix', prefixOf(secret), limits.perKeyPrefix),
      ]);
      const until = Math.max(address ?? 0, prefix ?? 0);
      return until > 0 ? refused(until) : null;
    },
  };
}
