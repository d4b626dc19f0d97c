import { type CryptoKey, createLocalJWKSet, errors, type JWSHeaderParameters, type LocalJWKSet } from 'jose';
import type { Clock } from '../../support/index.ts';
import { fetchProviderJson, type ProviderFetch } from './provider-fetch.ts';
import { ssoErrors } from './sso-errors.ts';
import { TokenRejection } from './token-rejection.ts';

/** The providers' public signing keys, fetched and cached per JWKS URI. */
export interface JsonWebKeySetCache {
  /**
   * The keys that may have signed a token with this header (usually one). A `kid` the cached set
   * lacks triggers one refetch, at most once per cooldown per URI, so rotated keys are picked up
   * and a flood of made-up key ids costs the provider nothing. Throws a `TokenRejection` with
   * `unknown-key` when no key matches even then.
   */
  keysFor(jwksUri: string, header: JWSHeaderParameters): Promise<CryptoKey[]>;
}

export interface JsonWebKeySetCacheOptions {
  fetch: ProviderFetch;
  clock: Clock;
  /** A set older than this is fetched again before use. */
  maxAgeMs: number;
  /** The least time between two fetches of one URI caused by unknown key ids. */
  refetchCooldownMs: number;
  timeoutMs: number;
  /** URIs remembered at once; the oldest is forgotten first. Default 1000. */
  maxEntries?: number;
}

interface Entry {
  keySet: LocalJWKSet;
  fetchedAt: number;
}

async function candidatesOf(keySet: LocalJWKSet, header: JWSHeaderParameters): Promise<CryptoKey[]> {
  try {
    return [await keySet(header)];
  } catch (error) {
    if (error instanceof errors.JWKSNoMatchingKey) return [];
    if (error instanceof errors.JWKSMultipleMatchingKeys) {
      const keys: CryptoKey[] = [];
      for await (const key of error as errors.JWKSMultipleMatchingKeys & AsyncIterable<CryptoKey>)
        keys.push(key);
      return keys;
    }
    if (error instanceof errors.JOSENotSupported) {
      throw new TokenRejection('algorithm-not-allowed', `alg '${String(header.alg)}' is not supported`);
    }
    throw error;
  }
}

export function createJsonWebKeySetCache(options: JsonWebKeySetCacheOptions): JsonWebKeySetCache {
  const { fetch, clock, maxAgeMs, refetchCooldownMs, timeoutMs } = options;
  const maxEntries = options.maxEntries ?? 1000;
  const entries = new Map<string, Entry>();
  const lastAttemptAt = new Map<string, number>();
  const pending = new Map<string, Promise<Entry>>();

  async function fetchSet(jwksUri: string): Promise<Entry> {
    lastAttemptAt.set(jwksUri, clock.now());
    const answer = await fetchProviderJson(fetch, jwksUri, { method: 'GET' }, timeoutMs);
    if (!answer.ok) throw ssoErrors.keysUnavailable(jwksUri, answer.detail, answer.cause);
    if (answer.status !== 200) throw ssoErrors.keysUnavailable(jwksUri, `HTTP ${answer.status}`);
    let keySet: LocalJWKSet;
    try {
      keySet = createLocalJWKSet(answer.body as Parameters<typeof createLocalJWKSet>[0]);
    } catch (error) {
      throw ssoErrors.keysUnavailable(jwksUri, 'the document is not a JSON Web Key Set', error);
    }
    const entry = { keySet, fetchedAt: clock.now() };
    entries.delete(jwksUri);
    if (entries.size >= maxEntries) {
      const oldest = entries.keys().next();
      if (!oldest.done) {
        entries.delete(oldest.value);
        lastAttemptAt.delete(oldest.value);
      }
    }
    entries.set(jwksUri, entry);
    return entry;
  }

  function load(jwksUri: string): Promise<Entry> {
    let loading = pending.get(jwksUri);
    if (!loading) {
      loading = fetchSet(jwksUri).finally(() => pending.delete(jwksUri));
      pending.set(jwksUri, loading);
    }
    return loading;
  }

  async function current(jwksUri: string): Promise<Entry> {
    const entry = entries.get(jwksUri);
    if (entry && clock.now() - entry.fetchedAt < maxAgeMs) return entry;
    try {
      return await load(jwksUri);
    } catch (error) {
      if (entry) return entry;
      throw error;
    }
  }

  return {
    async keysFor(jwksUri, header) {
      let entry = await current(jwksUri);
      let keys = await candidatesOf(entry.keySet, header);
      const attempted = lastAttemptAt.get(jwksUri) ?? Number.NEGATIVE_INFINITY;
      if (keys.length === 0 && (pending.has(jwksUri) || clock.now() - attempted >= refetchCooldownMs)) {
        entry = await load(jwksUri);
        keys = await candidatesOf(entry.keySet, header);
      }
      if (keys.length === 0) {
        const kid = typeof header.kid === 'string' ? `'${header.kid.slice(0, 100)}'` : '(none)';
        throw new TokenRejection(
          'unknown-key',
          `no published key matches kid ${kid} and alg '${String(header.alg)}'`,
        );
      }
      return keys;
    },
  };
}
