import type { Clock } from '../../support/index.ts';
import type { IssuerUrlPolicy } from './issuer-url-policy.ts';
import { createJsonWebKeySetCache, type JsonWebKeySetCache } from './json-web-key-sets.ts';
import type { ProviderFetch } from './provider-fetch.ts';
import { createProviderMetadataCache, type ProviderMetadataCache } from './provider-metadata.ts';
import type { SsoSettings } from './sso-settings-schema.ts';

/**
 * What the sign-in and the bearer verifier share about identity providers: the injected fetch,
 * the URL policy, and one cache of discovery documents and one of signing keys per process.
 */
export interface IdentityProviders {
  readonly fetch: ProviderFetch;
  readonly policy: IssuerUrlPolicy;
  readonly timeoutMs: number;
  readonly metadata: ProviderMetadataCache;
  readonly keys: JsonWebKeySetCache;
}

export interface IdentityProvidersOptions {
  fetch: ProviderFetch;
  clock: Clock;
  settings: SsoSettings;
}

export function createIdentityProviders(options: IdentityProvidersOptions): IdentityProviders {
  const { fetch, clock, settings } = options;
  const policy = { allowLoopback: settings.allow_loopback_issuers };
  const timeoutMs = settings.provider_timeout_ms;
  return {
    fetch,
    policy,
    timeoutMs,
    metadata: createProviderMetadataCache({
      fetch,
      clock,
      policy,
      ttlMs: settings.discovery_ttl_ms,
      timeoutMs,
    }),
    keys: createJsonWebKeySetCache({
      fetch,
      clock,
      maxAgeMs: settings.jwks_max_age_ms,
      refetchCooldownMs: settings.jwks_refetch_cooldown_ms,
      timeoutMs,
    }),
  };
}
