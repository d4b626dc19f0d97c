import { z } from 'zod';

const sessionSettingsDefaults = {
  access_token_ttl_ms: 600_000,
  refresh_token_ttl_ms: 86_400_000,
  session_max_age_ms: 7 * 86_400_000,
  refresh_reuse_grace_ms: 10_000,
  same_site: 'Strict' as const,
  refresh_cookie_path: '/v1/auth',
};

/**
 * Browser sessions (a light schema: the config file composes it as `sessions:`).
 *
 * ```yaml
 * sessions:
 *   access_token_ttl_ms: 600000       # the signed access token (cookie) lives 10 minutes
 *   refresh_token_ttl_ms: 86400000    # a session unused for a day ends
 *   session_max_age_ms: 604800000     # and any session ends after 7 days: sign in again
 *   refresh_reuse_grace_ms: 10000     # two tabs refreshing at once: the later one is told to retry
 *   same_site: Strict                 # or Lax
 *   refresh_cookie_path: /v1/auth     # the refresh cookie is sent only below this path
 * ```
 */
export const sessionSettingsSchema = z
  .object({
    access_token_ttl_ms: z
      .number()
      .int()
      .min(60_000)
      .max(900_000)
      .default(sessionSettingsDefaults.access_token_ttl_ms),
    refresh_token_ttl_ms: z
      .number()
      .int()
      .min(300_000)
      .max(30 * 86_400_000)
      .default(sessionSettingsDefaults.refresh_token_ttl_ms),
    session_max_age_ms: z
      .number()
      .int()
      .min(300_000)
      .max(90 * 86_400_000)
      .default(sessionSettingsDefaults.session_max_age_ms),
    refresh_reuse_grace_ms: z
      .number()
      .int()
      .min(0)
      .max(60_000)
      .default(sessionSettingsDefaults.refresh_reuse_grace_ms),
    same_site: z.enum(['Strict', 'Lax']).default(sessionSettingsDefaults.same_site),
    refresh_cookie_path: z
      .string()
      .regex(/^\/[A-Za-z0-9/_.-]*$/, 'must be a URL path such as /v1/auth')
      .default(sessionSettingsDefaults.refresh_cookie_path),
  })
  .strict()
  .default(sessionSettingsDefaults);

export type SessionSettings = z.output<typeof sessionSettingsSchema>;
