import { z } from 'zod';

const ssoSettingsDefaults = {
  discovery_ttl_ms: 3_600_000,
  jwks_max_age_ms: 3_600_000,
  jwks_refetch_cooldown_ms: 30_000,
  sign_in_ttl_ms: 600_000,
  clock_skew_seconds: 30,
  provider_timeout_ms: 10_000,
  connection_cache_ttl_ms: 30_000,
  allow_loopback_issuers: false,
};

/**
 * Platform-wide single sign-on settings (a light schema: the config file composes it as `sso:`).
 *
 * ```yaml
 * sso:
 *   discovery_ttl_ms: 3600000        # a provider's discovery document is reused this long
 *   jwks_max_age_ms: 3600000         # its signing keys too; an unknown key id refetches sooner
 *   jwks_refetch_cooldown_ms: 30000  # at most one such refetch per provider in this time
 *   sign_in_ttl_ms: 600000           # how long a started sign-in (state, nonce, PKCE) may complete
 *   clock_skew_seconds: 30           # tolerated difference between the provider's clock and ours
 *   allow_loopback_issuers: false    # http://127.0.0.1 issuers: tests and local development only
 * ```
 */
export const ssoSettingsSchema = z
  .object({
    discovery_ttl_ms: z
      .number()
      .int()
      .min(1000)
      .max(86_400_000)
      .default(ssoSettingsDefaults.discovery_ttl_ms),
    jwks_max_age_ms: z.number().int().min(1000).max(86_400_000).default(ssoSettingsDefaults.jwks_max_age_ms),
    jwks_refetch_cooldown_ms: z
      .number()
      .int()
      .min(0)
      .max(3_600_000)
      .default(ssoSettingsDefaults.jwks_refetch_cooldown_ms),
    sign_in_ttl_ms: z.number().int().min(60_000).max(3_600_000).default(ssoSettingsDefaults.sign_in_ttl_ms),
    clock_skew_seconds: z.number().int().min(0).max(300).default(ssoSettingsDefaults.clock_skew_seconds),
    provider_timeout_ms: z
      .number()
      .int()
      .min(100)
      .max(60_000)
      .default(ssoSettingsDefaults.provider_timeout_ms),
    /** How long the bearer verifier reuses an organisation's connection before reading it again. */
    connection_cache_ttl_ms: z
      .number()
      .int()
      .min(0)
      .max(600_000)
      .default(ssoSettingsDefaults.connection_cache_ttl_ms),
    allow_loopback_issuers: z.boolean().default(ssoSettingsDefaults.allow_loopback_issuers),
  })
  .strict()
  .default(ssoSettingsDefaults);

export type SsoSettings = z.output<typeof ssoSettingsSchema>;
